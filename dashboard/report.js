/* Filters for the exported report: same rules as dashboard/filters.py, no server, no network.
   Data comes from the JSON in #report-data; CSV text only ever reaches the page as textContent
   or as DOM nodes cloned from the escaped HTML that Python rendered. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var E = data.events, total = E.start.length;
  var list = document.getElementById("events");
  var items = list.querySelectorAll("li.event");
  var visible = new Array(total).fill(true);

  /* ---- filtering (dashboard/filters.py: category in set; overlaps [from, to]; every word found) ---- */
  function readFilters() {
    var cats = {};
    document.querySelectorAll("#categories input:checked").forEach(function (box) { cats[box.value] = true; });
    return {
      cats: cats,
      from: document.getElementById("from").value,  // YYYY-MM-DD or ""
      to: document.getElementById("to").value,
      words: document.getElementById("search").value.toLowerCase().split(/\s+/).filter(Boolean)
    };
  }

  function keeps(f, i) {
    if (!f.cats[E.category[i]]) return false;
    if (f.from && !(E.end[i] > f.from)) return false;  // end is exclusive: ends after the day before 'from'
    if (f.to && !(E.start[i] <= f.to)) return false;
    for (var w = 0; w < f.words.length; w++) {
      if (E.text[i].indexOf(f.words[w]) < 0) return false;
    }
    return true;
  }

  /* ---- charts: narrow each figure's points to the visible events ---- */
  var TYPED = { f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array,
                i2: Int16Array, u2: Uint16Array, i1: Int8Array, u1: Uint8Array };
  var PER_POINT = ["x", "y", "lat", "lon", "text", "hovertext", "customdata", "textposition",
                   "marker.size", "marker.symbol", "marker.color", "error_y.array", "error_y.arrayminus"];

  function plain(v) {  // plotly's base64 typed-array spec -> a plain array
    if (v && typeof v === "object" && typeof v.bdata === "string" && TYPED[v.dtype]) {
      var bytes = Uint8Array.from(atob(v.bdata), function (c) { return c.charCodeAt(0); });
      return Array.from(new TYPED[v.dtype](bytes.buffer));
    }
    return v;
  }

  function getPath(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }

  function setPath(obj, path, value) {
    var keys = path.split("."), last = keys.pop();
    keys.forEach(function (k) { obj[k] = Object.assign({}, obj[k]); obj = obj[k]; });
    obj[last] = value;
  }

  function decodeTraces(traces) {
    return traces.map(function (trace) {
      var out = Object.assign({}, trace);
      PER_POINT.forEach(function (path) {
        var v = getPath(trace, path);
        if (v && !Array.isArray(v) && v.bdata) setPath(out, path, plain(v));
      });
      return out;
    });
  }

  function pick(trace, keep) {  // the trace with only the points at the indexes in keep
    var n = (trace.x || trace.lat || []).length, out = Object.assign({}, trace);
    PER_POINT.forEach(function (path) {
      var v = getPath(trace, path);
      if (Array.isArray(v) && v.length === n) setPath(out, path, keep.map(function (j) { return v[j]; }));
    });
    return out;
  }

  function countVisible(group) {
    var c = 0;
    for (var k = 0; k < group.length; k++) if (visible[group[k]]) c++;
    return c;
  }

  function escapeText(s) {  // for plotly's pseudo-HTML hover labels, never for the page
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function narrowed(chart) {
    return chart.traces.map(function (trace, t) {
      var pts = chart.points[t];
      if (!pts) return trace;
      var keep = [], j;
      if (chart.kind === "points") {
        for (j = 0; j < pts.length; j++) if (visible[pts[j]]) keep.push(j);
        chart.kept[t] = keep;
        return pick(trace, keep);
      }
      var counts = pts.map(countVisible);
      if (chart.name === "monthly") {  // every month stays; an empty one has no bar (null, as in figures.py)
        return Object.assign({}, trace, { y: counts.map(function (c) { return c || null; }) });
      }
      // map: a bubble per place with visible events, area growing with their number (figures.py's rule)
      for (j = 0; j < pts.length; j++) if (counts[j]) keep.push(j);
      chart.kept[t] = keep;
      var out = pick(trace, keep), max = Math.max.apply(null, [1].concat(counts));
      setPath(out, "marker.size", keep.map(function (j) { return 8 + 30 * Math.sqrt(counts[j] / max); }));
      out.hovertext = keep.map(function (j) {
        return counts[j] === pts[j].length ? trace.hovertext[j]
          : "<b>" + escapeText(trace.customdata[j]) + "</b><br>" + counts[j] + " of " + pts[j].length + " events match the filters";
      });
      return out;
    });
  }

  var charts = data.charts.map(function (c) {
    return { id: c.id, name: c.name, kind: c.kind, points: c.points, layout: c.figure.layout,
             traces: decodeTraces(c.figure.data), kept: {}, el: document.getElementById(c.id) };
  });

  function layoutFor(chart) {  // a fresh copy each time (plotly keeps it); on a phone, legends go below the plot
    var layout = JSON.parse(JSON.stringify(chart.layout));
    if (window.innerWidth < 700) {
      layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, xanchor: "left", y: -0.12, yanchor: "top" });
    }
    return layout;
  }

  function draw(first) {
    charts.forEach(function (chart) {
      if (!chart.el || !window.Plotly) return;
      var traces = narrowed(chart);
      if (first) Plotly.newPlot(chart.el, traces, layoutFor(chart), data.config);
      else Plotly.react(chart.el, traces, layoutFor(chart), data.config);
    });
  }

  /* ---- the event list, the count and the selected event ---- */
  var count = document.getElementById("count"), none = document.getElementById("no-events");
  var panel = document.getElementById("selected");

  function update(first) {
    var f = readFilters(), n = 0;
    for (var i = 0; i < total; i++) {
      visible[i] = keeps(f, i);
      if (visible[i]) n++;
      items[i].hidden = !visible[i];
    }
    count.textContent = n + " of " + total + " event" + (total === 1 ? "" : "s");
    none.hidden = n > 0;
    draw(first);
  }

  function select(i, scroll) {
    var item = items[i];
    if (!item) return;
    list.querySelectorAll(".is-selected").forEach(function (el) { el.classList.remove("is-selected"); });
    item.classList.add("is-selected");
    item.querySelector("details").open = true;
    if (panel) {
      var clone = item.cloneNode(true);
      clone.removeAttribute("id");
      clone.classList.remove("is-selected");
      clone.querySelector("details").open = true;
      var close = document.createElement("button");
      close.type = "button";
      close.className = "close";
      close.textContent = "Close";
      close.addEventListener("click", function () { panel.hidden = true; });
      panel.replaceChildren(close, clone);
      panel.hidden = false;
      if (scroll) panel.scrollIntoView({ block: "nearest" });
    }
  }

  list.addEventListener("click", function (ev) {
    var item = ev.target.closest("li.event");
    if (!item || ev.target.closest("a, summary")) return;
    var details = item.querySelector("details");
    details.open = !details.open;
  });
  list.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches("li.event")) {
      ev.preventDefault();
      var details = ev.target.querySelector("details");
      details.open = !details.open;
    }
  });

  /* ---- wiring ---- */
  var form = document.getElementById("controls"), timer = null;
  form.hidden = false;
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { update(false); }, 0); });
  document.getElementById("search").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(false); }, 150);
  });
  window.addEventListener("beforeprint", function () {
    list.querySelectorAll("details").forEach(function (d) { d.dataset.wasOpen = d.open ? "1" : ""; d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    list.querySelectorAll("details").forEach(function (d) { d.open = d.dataset.wasOpen === "1"; });
  });
  update(true);
  charts.forEach(function (chart) {  // after newPlot: it gives the chart divs their .on
    if (chart.kind !== "points" || !chart.el || !chart.el.on) return;
    chart.el.on("plotly_click", function (ev) {
      var p = ev && ev.points && ev.points[0], kept = p && chart.kept[p.curveNumber];
      var pts = p && chart.points[p.curveNumber];
      if (kept && pts) select(pts[kept[p.pointNumber]], true);
    });
  });

})();
