// Captions of key events on the timeline (dashboard/figures/captions.py), placed again in the browser at
// the chart's real width and visible dates with the same rules as place_captions: the figure arrives
// placed for a 900 px chart. Works on every plotly chart whose layout.meta.captions is set, in the
// dashboard, in the exported report and on the standalone chart page. The layout is changed with
// Plotly.react, which (unlike relayout) does not report a zoom to the dashboard.
(function () {
  "use strict";
  if (window.dprkCaptions) return;

  // place_captions in dashboard/figures/captions.py: change both together
  function place(x, widths, lo, hi, levels, gap) {
    var taken = [], out = [], level, i, o;
    for (level = 0; level < levels; level++) taken.push([]);
    for (i = 0; i < x.length; i++) {
      var at = x[i], width = widths[i], spot = [-1, "center"];
      if (Number.isFinite(at)) {
        search:
        for (level = 0; level < levels; level++) {
          var options = [["center", at - width / 2], ["left", at], ["right", at - width]];
          for (o = 0; o < options.length; o++) {
            var left = options[o][1], right = left + width;
            var clear = lo <= left && right <= hi && taken[level].every(function (box) {
              return !(left < box[1] + gap && box[0] < right + gap);
            });
            if (clear) {
              taken[level].push([left, right]);
              spot = [level, options[o][0]];
              break search;
            }
          }
        }
      }
      out.push(spot);
    }
    return out;
  }

  var canvas = null, widths = {};
  function textWidth(text, font) {  // widest line of an escaped caption (lines end at <br>)
    var key = font + "\n" + text;
    if (!(key in widths)) {
      canvas = canvas || document.createElement("canvas");
      var context = canvas.getContext("2d");
      context.font = font;
      widths[key] = Math.max.apply(null, text.split("<br>").map(function (line) {
        return context.measureText(line.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")).width;
      }));
    }
    return widths[key];
  }

  var KEYS = ["x", "y", "text", "visible", "ay", "xanchor"];
  function same(a, b) {
    return a.length === b.length && a.every(function (note, i) {
      return note === b[i] || KEYS.every(function (k) { return note[k] === b[i][k]; });
    });
  }

  // The chart's annotations with its captions placed for the chart as drawn now, and how many are shown;
  // null while there is nothing to place or plotly is still drawing (it reports plotly_afterplot when done).
  // (``layout``: a new layout for the chart, placed for the chart as drawn now; by default its own)
  function placed(gd, layout) {
    var full = gd._fullLayout;
    layout = layout || gd.layout;
    var spec = layout && layout.meta && layout.meta.captions;
    if (!spec || !full || full._replotting || !full._size || !full.xaxis || !full.yaxis) return null;
    var xa = full.xaxis, ya = full.yaxis, size = full._size;
    var notes = layout.annotations || [], first = spec.annotation0, n = spec.items.length;
    var template = notes[first];
    if (!template) return null;
    var r0 = xa.r2l(xa.range[0]), r1 = xa.r2l(xa.range[1]);
    var lines = full.width < spec.narrow ? 2 : 1, step = spec.steps[lines - 1];
    var drawn = full.annotations && full.annotations[first];  // (its font comes from the figure's template)
    var font = ((drawn && drawn.font && drawn.font.size) || 11) + "px " + ((drawn && drawn.font && drawn.font.family) || full.font.family);
    var x = [], boxes = [];
    spec.items.forEach(function (item, i) {
      var across = (item.x - r0) / (r1 - r0);  // share of the plot's width (the captions' x is 'paper')
      x.push((!spec.shown || spec.shown[i]) && across >= 0 && across <= 1 ? size.l + across * size.w : NaN);
      // plotly's box: the text, borderpad and a 1 px border on each side; 2 px more for rounding
      boxes.push(textWidth(item.text[lines - 1], font) + 2 * (spec.pad + 1) + 2);
    });
    var spots = place(x, boxes, spec.edge, full.width - spec.edge, Math.floor(spec.band / step), spec.gap);
    var captions = spec.items.map(function (item, i) {
      var level = spots[i][0], marker = ya._offset + ya.l2p(item.y);
      return {level: level, note: Object.assign({}, template, {
        x: Math.min(Math.max((item.x - r0) / (r1 - r0), 0), 1), y: item.y,
        text: item.text[lines - 1], visible: level >= 0, xanchor: spots[i][1],
        ay: Math.round(size.t - spec.base - Math.max(level, 0) * step - marker)
      })};
    });
    // highest level first: a lower caption is drawn over the leader lines that rise behind it
    captions.sort(function (a, b) { return b.level - a.level; });
    return {
      notes: notes.slice(0, first).concat(captions.map(function (c) { return c.note; }), notes.slice(first + n)),
      shown: spots.filter(function (spot) { return spot[0] >= 0; }).length
    };
  }

  // After a zoom in the dashboard (assets/zoom.js sets gd.__captionsHold) a new figure for the new dates is
  // on its way: placing the captions for the zoom first would cost a full redraw (~60 ms at 10k events)
  // just before that figure's own. They are hidden meanwhile, not left pointing at the old dates, and
  // shown placed with the new figure; shown anyway if none comes.
  var HOLD_MS = 1500, IDLE_MS = 300;
  function held(gd) {
    var since = gd.__captionsHold && performance.now() - gd.__captionsHold;
    if (!since) return false;
    if (since < HOLD_MS && (since < IDLE_MS || gd.closest('[data-dash-is-loading="true"]'))) return true;
    release(gd);
    return false;
  }
  function showCaptions(gd, show) {
    var spec = gd.layout && gd.layout.meta && gd.layout.meta.captions;
    if (!spec) return;
    gd.querySelectorAll(".annotation").forEach(function (g) {
      var i = Number(g.getAttribute("data-index"));
      if (i >= spec.annotation0 && i < spec.annotation0 + spec.items.length) g.style.visibility = show ? "" : "hidden";
    });
  }
  function hold(gd) {
    if (!(gd.layout && gd.layout.meta && gd.layout.meta.captions)) return;
    gd.__captionsHold = performance.now();
    showCaptions(gd, false);
    (function wait() { if (held(gd)) setTimeout(wait, 50); else soon(gd); })();
  }
  function release(gd) {
    if (!gd.__captionsHold) return;
    gd.__captionsHold = 0;
    showCaptions(gd, true);
  }

  // A new figure for a chart already drawn (the dashboard's next view) gets its captions placed for the chart
  // as drawn now before plotly draws it, so it is drawn once. Placed after, they cost a second full redraw.
  // (If the new figure changes the dates shown or the chart's size, apply() places them again after it.)
  function wrapReact() {
    var Plotly = window.Plotly;
    if (!Plotly || !Plotly.react || Plotly.react.__captions) return;
    var react = Plotly.react;
    Plotly.react = function (gd, data, layout) {
      var args = Array.prototype.slice.call(arguments);
      try {
        var figure = data && !Array.isArray(data) && data.layout ? data : null;  // react(gd, {data, layout, ...})
        var next = figure ? figure.layout : layout;
        var spec = next && next.meta && next.meta.captions;
        var notes = spec && gd && gd._fullLayout && !gd.__captionsBusy && placed(gd, next);
        if (notes) {
          next = Object.assign({}, next, {annotations: notes.notes});
          if (figure) args[1] = Object.assign({}, figure, {layout: next}); else args[2] = next;
          release(gd);
        }
      } catch (e) { /* placed after the drawing instead */ }
      return react.apply(this, args);
    };
    Plotly.react.__captions = true;
  }

  function apply(gd) {
    if (held(gd)) return;
    var next = !gd.__captionsBusy && window.Plotly && placed(gd);
    if (!next || same(gd.layout.annotations || [], next.notes)) return;
    var now = Date.now();  // a guard against a redraw loop (it would show as captions that never settle)
    gd.__captionsRuns = (gd.__captionsRuns || []).filter(function (t) { return now - t < 1000; }).concat(now);
    if (gd.__captionsRuns.length > 10) return;
    gd.__captionsBusy = true;
    var done;
    try {
      done = window.Plotly.react(gd, gd.data, Object.assign({}, gd.layout, {annotations: next.notes}));
    } finally {
      gd.__captionsBusy = false;
    }
    if (done && done.then) done.then(function () { apply(gd); });  // settled? (a resize may have come meanwhile)
  }

  // How many captions are shown once they are placed for the chart as drawn now; -1 until then (for tests and tools).
  function settled(gd) {
    var next = placed(gd);
    return next && same(gd.layout.annotations || [], next.notes) ? next.shown : -1;
  }

  // Place once the page has painted and is idle: the captions never hold up a chart's first paint or a
  // zoom's redraw (they move a moment later, if at all).
  function soon(gd) {
    if (gd.__captionsPending) return;
    gd.__captionsPending = true;
    function run() { gd.__captionsPending = false; apply(gd); }
    if (window.requestIdleCallback) window.requestIdleCallback(run, {timeout: 300});
    else setTimeout(run, 50);
  }

  function hook(gd) {
    if (!gd || gd.__captionsHooked || typeof gd.on !== "function") return;
    gd.__captionsHooked = true;
    function again() { soon(gd); }
    gd.on("plotly_afterplot", function () { release(gd); again(); });  // a new figure
    gd.on("plotly_relayout", again);  // a zoom, a pan, a resize
    again();
  }

  // charts are drawn after this script runs (and the dashboard may draw a new one): look for them
  // often at first, then now and then
  var looks = 0;
  (function look() {
    wrapReact();
    document.querySelectorAll(".js-plotly-plot").forEach(hook);
    setTimeout(look, looks++ < 200 ? 25 : 500);
  })();

  window.dprkCaptions = {place: place, apply: apply, hook: hook, settled: settled, hold: hold};
})();
