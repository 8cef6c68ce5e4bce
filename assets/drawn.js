// The dashboard asks for its other charts once the first timeline is on screen (see callbacks.py).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dprk: {
    whenTimelineDrawn: function (figure, drawn) {
      var noUpdate = window.dash_clientside.no_update;
      if (drawn || !figure || !figure.data) return noUpdate;
      return new Promise(function (resolve) {
        var started = performance.now();
        function check() {
          var graph = document.querySelector("#timeline .js-plotly-plot");
          var done = graph && graph._fullLayout && graph.data && graph.data.length === figure.data.length &&
            !document.querySelector('#timeline [data-dash-is-loading="true"]');
          // never hold the other charts back for long, whatever happens to the timeline
          if (done || performance.now() - started > 3000) {
            requestAnimationFrame(function () { requestAnimationFrame(function () { resolve(true); }); });
          } else {
            requestAnimationFrame(check);
          }
        }
        requestAnimationFrame(check);
      });
    }
  }
});
