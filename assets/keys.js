// Left/right arrow keys step through the filtered events, unless the user is typing. In story mode (the
// slide panel is shown) they step through the slides instead, and Escape leaves the story.
document.addEventListener("keydown", function (event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
                          (target.closest && target.closest(".ag-root, .Select, .dash-dropdown")));
  if (typing) return;
  var story = document.getElementById("story");
  var keys = story && !story.hidden
    ? {ArrowLeft: "story-prev", ArrowRight: "story-next", Escape: "story-leave"}
    : {ArrowLeft: "prev-event", ArrowRight: "next-event"};
  var id = keys[event.key];
  var button = id && document.getElementById(id);
  if (button) { event.preventDefault(); if (!button.disabled) button.click(); }
});
