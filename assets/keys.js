// Left/right arrow keys step through the filtered events, unless the user is typing.
document.addEventListener("keydown", function (event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
                          (target.closest && target.closest(".ag-root, .Select, .dash-dropdown")));
  if (typing) return;
  var id = event.key === "ArrowLeft" ? "prev-event" : event.key === "ArrowRight" ? "next-event" : null;
  var button = id && document.getElementById(id);
  if (button) { event.preventDefault(); button.click(); }
});
