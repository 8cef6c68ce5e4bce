// On page load the dashboard draws the timeline before it asks for the other charts (see
// callbacks.py): once the first timeline is on screen, this sets the timeline-drawn store.
// It is set from here, not by a callback on the timeline, so that later filter changes do not
// wait for the timeline before updating the other views.
(function () {
  var started = Date.now();
  // The page comes with the unfiltered timeline (callbacks.py, opening_timeline). A link with filters or a
  // story hides it until the link's own view is drawn, so no reader sees the events the link leaves out.
  var root = document.documentElement;
  if (location.search.length > 1) {
    root.classList.add("opening-link");
    var linked = Date.now();
    (function plain() {
      // a link that came to the plain view (its address rewritten to none) shows the timeline it came with;
      // and whatever happens to the callback, never hidden for long
      if (location.search.length <= 1) show("plain");
      else if (Date.now() - linked > 8000) show("late");
      else if (root.classList.contains("opening-link")) setTimeout(plain, 50);
    })();
  }
  function show(why) {  // (why, for tests and tools: "own", "plain" or "late")
    if (!root.classList.contains("opening-link")) return;
    root.classList.remove("opening-link");
    root.setAttribute("data-timeline-shown", why);
  }
  function shown(graph) {  // the timeline now drawn is the link's own
    var meta = graph.layout && graph.layout.meta;
    if (graph._fullLayout && !(meta && meta.opening)) show("own");
  }
  function reveal(graph) {
    if (!root.classList.contains("opening-link") || graph.__revealHooked || typeof graph.on !== "function") return;
    graph.__revealHooked = true;
    graph.on("plotly_afterplot", function () { shown(graph); });
    shown(graph);  // (drawn before this hook was made)
  }
  var sent = false;
  function send() {
    window.dash_clientside.set_props("timeline-drawn", {data: true});
    sent = true;
  }
  function afterPaint(fn) {
    // two frames let the timeline reach the screen; the timer covers pages that draw no frames
    // (a hidden tab, a headless screenshot), which must still get their charts
    var done = false;
    function once() { if (!done) { done = true; fn(); } }
    requestAnimationFrame(function () { requestAnimationFrame(once); });
    setTimeout(once, 250);
  }
  function check() {
    var graph = document.querySelector("#timeline .js-plotly-plot");
    if (graph) reveal(graph);
    var drawn = graph && graph._fullLayout && graph.data && graph.data.length > 0 &&
      !document.querySelector('#timeline [data-dash-is-loading="true"]');
    var api = window.dash_clientside;
    // never hold the other charts back for long, whatever happens to the timeline
    if (api && api.set_props && document.getElementById("timeline") && (drawn || Date.now() - started > 5000)) {
      afterPaint(send);
    } else {
      setTimeout(check, 25);
    }
  }
  check();

  // The reported-figures chart is asked for when it comes within half a screen of the view, or the page is
  // printed (callbacks.py, update_claims): a visit that never scrolls there does not download it. Until it
  // is drawn, the page is marked claims-pending: a print made before leaves the empty chart out (style.css).
  root.classList.add("claims-pending");
  (function drawnClaims() {  // (found once its graph is on the page; then told by its own redraws)
    var graph = document.querySelector("#claims .js-plotly-plot");
    if (!graph || typeof graph.on !== "function") { setTimeout(drawnClaims, 100); return; }
    function check() { if (graph.data && graph.data.length) root.classList.remove("claims-pending"); }
    graph.on("plotly_afterplot", check);
    check();
  })();
  // fn(api, card, element) once the page's first views are in, with the card (section) of the element ``id``.
  // (Where a card is is looked at only then: until then the panels above it are still empty and short, and
  // every card would seem near the screen on every visit. The card, not the element: a graph's own element
  // is replaced once dcc.Graph's code has loaded.)
  function whenViewsIn(id, fn) {
    (function wait() {
      var api = window.dash_clientside, element = document.getElementById(id), card = element && element.closest("section");
      if (!(api && api.set_props && card && sent) || document.querySelector('[data-dash-is-loading="true"]')) {
        setTimeout(wait, 50);
        return;
      }
      fn(api, card, element);
    })();
  }

  whenViewsIn("claims", function (api, card) {
    var asked = false;
    function ask() {
      if (asked) return;
      asked = true;
      api.set_props("claims-wanted", {data: true});
    }
    window.addEventListener("beforeprint", ask);
    if (!window.IntersectionObserver) { ask(); return; }
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { seen.disconnect(); ask(); }
    }, {rootMargin: "0px 0px 50% 0px"});
    seen.observe(card);
  });

  // The table follows the view while it is within half a screen of it (callbacks.py, update_table), and
  // catches up as it comes near, is focused or the page is printed. A print made before it caught up
  // leaves it out (style.css, table-pending) rather than print rows of another view.
  // The filters of an address: the table's rows depend on those alone, not on the event chosen or the story
  // slide (update_table keeps its rows when only those change, so they are not new rows of another view).
  function filtersOf(search) {
    var params = new URLSearchParams(search);
    params.delete("event");
    params.delete("story");
    return params.toString();
  }
  var tableView = null;  // the filters the table's rows were last made for
  whenViewsIn("events-table-body", function (api, card, body) {
    // near: within half a screen of the view, or holding the keyboard's focus (a reader tabbing through it)
    var seen = !window.IntersectionObserver, near = false;  // (as the page starts: asked for once it comes near)
    function want(now) {
      if (now !== near) api.set_props("table-wanted", {data: now});
      near = now;
      root.setAttribute("data-table-near", String(now));  // (for tests and tools)
    }
    function follow() { want(seen || card.contains(document.activeElement)); }
    new MutationObserver(function () { tableView = filtersOf(location.search); }).observe(body, {childList: true});
    window.addEventListener("beforeprint", function () {
      root.classList.toggle("table-pending", tableView !== filtersOf(location.search));
      want(true);
    });
    window.addEventListener("afterprint", function () { root.classList.remove("table-pending"); follow(); });
    card.addEventListener("focusin", follow);
    card.addEventListener("focusout", function () { setTimeout(follow, 0); });  // (once the focus has moved)
    if (seen) { follow(); return; }
    new IntersectionObserver(function (entries) {
      seen = entries[entries.length - 1].isIntersecting;
      follow();
    }, {rootMargin: "50% 0px 50% 0px"}).observe(card);
  });
})();
