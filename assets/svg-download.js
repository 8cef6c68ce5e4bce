// Every chart's toolbar gets a "Download plot as an SVG" button beside the camera (PNG), for print.
// A toolbar button needs a click function, which a Dash config (JSON) cannot carry, so the button is
// added to plotly.js's defaults (Plotly.setPlotConfig) as soon as plotly.js is there, before the first
// chart is drawn. Its file name is the one the dashboard gives the camera (toImageButtonOptions.filename,
// which says what the chart shows).
(function () {
  function addButton(Plotly) {
    if (!Plotly || !Plotly.setPlotConfig || !Plotly.downloadImage) return;
    var icons = Plotly.Icons || {};
    Plotly.setPlotConfig({modeBarButtonsToAdd: [{
      name: "downloadSvg",
      title: "Download plot as an SVG (for print)",
      icon: icons.disk || icons.camera,
      click: function (gd) {
        var options = (gd._context && gd._context.toImageButtonOptions) || {};
        Plotly.downloadImage(gd, {format: "svg", filename: options.filename || "dprk-timeline-chart"});
      }
    }]});
  }
  if (window.Plotly) {
    addButton(window.Plotly);
    return;
  }
  // plotly.js is loaded after this script (Dash fetches it on its own): catch the moment it sets
  // window.Plotly, then leave an ordinary property behind
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () { return undefined; },
    set: function (value) {
      Object.defineProperty(window, "Plotly", {value: value, writable: true, configurable: true, enumerable: true});
      addButton(value);
    }
  });
})();
