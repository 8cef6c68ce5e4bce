// A zoom or pan drawn once. dcc.Graph reports a zoom to Dash (relayoutData, which sets the date filter)
// and also writes the chart's new axes back into its `figure` prop; that prop change makes Dash hand the
// figure to plotly again, which draws the whole chart a second time within the zoom's frame (at 100k
// events the zoom took twice as long). Before dcc.Graph's handler runs, the axes the zoom changed are
// copied into the figure Dash holds, so dcc.Graph finds nothing to write back: the zoom is still
// reported, the chart is drawn once, and Dash's figure says what is on screen, as it would have.
(function () {
  "use strict";
  if (window.dprkZoom) return;
  var KEEP = {autosize: true, width: true, height: true};  // keys dcc.Graph itself never writes back

  function heldFigure(gd) {
    var store = window.store, graph = gd.parentElement;
    if (!store || !graph || !graph.id) return null;
    var state = store.getState(), path = state.paths && state.paths.strs && state.paths.strs[graph.id];
    if (!path) return null;
    var node = state.layout;
    for (var i = 0; i < path.length && node; i++) node = node[path[i]];
    return node && node.props && node.props.figure && node.props.figure.layout ? node.props.figure : null;
  }

  function sync(gd) {
    return function (update) {
      // new dates bring the chart a new figure: its captions are placed with that (assets/captions.js)
      if (update && window.dprkCaptions && Object.keys(update).some(function (key) { return key.indexOf("xaxis.") === 0; })) {
        window.dprkCaptions.hold(gd);
      }
      var figure = update && gd.layout && heldFigure(gd);
      if (!figure) return;
      Object.keys(update).forEach(function (key) {
        var top = key.split(".")[0].split("[")[0];
        if (!KEEP[top] && gd.layout[top] !== undefined) figure.layout[top] = JSON.parse(JSON.stringify(gd.layout[top]));
      });
    };
  }

  function hook(gd) {
    var events = gd._ev;  // plotly's emitter (a new one after a purge, so the mark is kept on it)
    if (!events || events.__dprkZoom || typeof events.prependListener !== "function") return;
    events.__dprkZoom = true;
    events.prependListener("plotly_relayout", sync(gd));
  }

  var looks = 0;
  (function look() {
    document.querySelectorAll(".js-plotly-plot").forEach(hook);
    setTimeout(look, looks++ < 200 ? 25 : 500);
  })();

  window.dprkZoom = {hook: hook};
})();
