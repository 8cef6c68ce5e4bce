// Story mode (dashboard/views/story.py): when the slide panel opens (the Story button, or a link with
// ?story=N) somewhere the reader cannot see it (on a phone it sits below the filters), bring it into view.
(function () {
  function motion() {
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return reduce ? "auto" : "smooth";
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      var panel = record.target;
      if (panel.id !== "story" || panel.hidden || record.oldValue === null) return;  // only hidden -> shown
      var box = panel.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight - 120) panel.scrollIntoView({behavior: motion(), block: "start"});
    });
  }).observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ["hidden"], attributeOldValue: true});
})();
