// An event chosen far from the event panel (the reported-figures chart, the events table, or a
// timeline point with the panel off screen) would change a panel the reader cannot see. Bring the
// panel into view, move keyboard focus to it, and show a "Back to ..." button that returns the
// reader to the place they chose the event from, at the same height on screen.
(function () {
  var origin = null;  // {find: function () -> element, top: px from the viewport top, label}
  var kept = null;    // the scroll position before a table link's click (dcc.Link scrolls to the top)

  function motion() {
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return reduce ? "auto" : "smooth";
  }

  function focus(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) element.setAttribute("tabindex", "-1");
    element.focus({preventScroll: true});
  }

  function showPanel(from) {
    var panel = document.getElementById("event-panel");
    var back = document.getElementById("event-back");
    if (!panel) return;
    origin = from;
    if (back) { back.textContent = "↩ " + from.label; back.hidden = false; }
    // focus first: moving focus during a smooth scroll cuts the scroll short in Chromium
    focus(panel);
    panel.scrollIntoView({behavior: motion(), block: "start"});
  }

  function goBack() {
    var back = document.getElementById("event-back");
    if (back) back.hidden = true;
    if (!origin) return;
    var target = origin.find();
    var top = origin.top;
    origin = null;
    if (!target) return;
    focus(target);
    window.scrollTo({top: target.getBoundingClientRect().top + window.scrollY - top, behavior: motion()});
  }

  function fromElement(element, find, label) {
    return {find: find, top: Math.max(0, element.getBoundingClientRect().top), label: label};
  }

  function offScreen(element) {
    var box = element.getBoundingClientRect();
    return box.top < 0 || box.top > window.innerHeight - 80;
  }

  // plotly_click fires only for points; hook each chart before its first click reaches plotly
  var charts = [
    {id: "claims", label: "Back to the reported figures", always: true},
    {id: "timeline", label: "Back to the timeline", always: false},
  ];
  function hookCharts() {
    charts.forEach(function (chart) {
      var graph = document.querySelector("#" + chart.id + " .js-plotly-plot");
      if (!graph || !graph.on || graph.__panelHooked) return;
      graph.__panelHooked = true;
      graph.on("plotly_click", function (data) {
        var point = data && data.points && data.points[0];
        var panel = document.getElementById("event-panel");
        // count bars carry no event id: they select nothing
        if (!point || !point.customdata || !panel || (!chart.always && !offScreen(panel))) return;
        var card = graph.closest("section") || graph;
        showPanel(fromElement(card, function () { return card; }, chart.label));
      });
    });
  }
  document.addEventListener("pointerdown", hookCharts, true);

  function tableLink(event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
    return event.target.closest && event.target.closest("#events-table-body a, #event-detail a[href^='?']");
  }
  document.addEventListener("click", function (event) {
    if (tableLink(event)) kept = {x: window.scrollX, y: window.scrollY};
  }, true);
  document.addEventListener("click", function (event) {
    var link = tableLink(event);
    if (!link || !kept || !event.defaultPrevented) return;  // not a link dcc.Link handled in the page
    window.scrollTo(kept.x, kept.y);  // undo dcc.Link's jump to the top before React paints
    kept = null;
    var row = link.closest("tr");
    if (!row) return;  // a link inside the panel: the reader stays where they are
    var id = row.getAttribute("data-event");
    // the table is redrawn when the URL changes: find the row again by its event id
    showPanel(fromElement(link, function () {
      var again = document.querySelector('#events-table-body tr[data-event="' + CSS.escape(id) + '"] a');
      return again || document.getElementById("events-table");
    }, "Back to the table"));
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#event-back")) goBack();
  });
})();
