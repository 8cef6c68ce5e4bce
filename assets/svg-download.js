// Every chart's toolbar gets a "Download plot as a PNG" and a "Download plot as an SVG" (for print) button,
// in place of plotly's camera. A toolbar button needs a click function, which a Dash config (JSON) cannot
// carry, so the buttons are added to plotly.js's defaults (Plotly.setPlotConfig) as soon as plotly.js is
// there, before the first chart is drawn. The file is named after what the chart shows: the figure's
// layout.meta.filename, which the dashboard sends with each figure (a changed config would redraw the
// chart from scratch).
(function () {
  function filename(gd) {  // what the chart shows now (set with each figure), else the config's default
    var meta = gd.layout && gd.layout.meta, options = (gd._context && gd._context.toImageButtonOptions) || {};
    return (meta && typeof meta.filename === "string" && meta.filename) || options.filename || "dprk-timeline-chart";
  }
  function addButton(Plotly) {
    if (!Plotly || !Plotly.setPlotConfig || !Plotly.downloadImage) return;
    var icons = Plotly.Icons || {};
    Plotly.setPlotConfig({modeBarButtonsToAdd: [{
      name: "downloadPng",
      title: "Download plot as a PNG",
      icon: icons.camera,
      click: function (gd) {
        var options = (gd._context && gd._context.toImageButtonOptions) || {};
        Plotly.downloadImage(gd, {format: "png", scale: options.scale || 2, filename: filename(gd)});
      }
    }, {
      name: "downloadSvg",
      title: "Download plot as an SVG (for print)",
      icon: icons.disk || icons.camera,
      click: function (gd) { Plotly.downloadImage(gd, {format: "svg", filename: filename(gd)}); }
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
