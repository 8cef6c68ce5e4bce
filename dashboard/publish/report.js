/* Filters for the exported report: same rules as dashboard/filters.py, no server, no network.
   Data comes from the JSON in #report-data (typed arrays, plotly's {dtype, bdata} form); CSV text only
   ever reaches the page as textContent or as DOM nodes cloned from the escaped HTML that Python rendered. */
(function () {
  "use strict";
  var TYPED = { f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array,
                i2: Int16Array, u2: Uint16Array, i1: Int8Array, u1: Uint8Array };

  function typed(v) {  // plotly's base64 typed-array spec -> the typed array itself
    if (v && typeof v === "object" && typeof v.bdata === "string" && TYPED[v.dtype]) {
      var raw = atob(v.bdata), bytes = new Uint8Array(raw.length);
      for (var b = 0; b < raw.length; b++) bytes[b] = raw.charCodeAt(b);
      return new TYPED[v.dtype](bytes.buffer);
    }
    return v;
  }

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var E = { category: typed(data.events.category), start: typed(data.events.start), end: typed(data.events.end),
            indep: typed(data.events.indep) };
  var total = E.start.length, shown = total;
  var list = document.getElementById("events");
  var items = list.querySelectorAll("li.ev");
  var visible = new Uint8Array(total).fill(1);
  var texts = null;  // the search text of each event, read from the list on the first search

  /* ---- the search rule: dashboard/search.py, step for step (a test runs the same searches through both) ---- */
  var MAX_SEARCH_CHARS = 200, MAX_SEARCH_WORDS = 8;

  function fold(text) {  // NFKD, marks dropped, case folded, every character not a letter or digit a space
    return text.normalize("NFKD").replace(/\p{M}/gu, "")
      // Python's casefold(): upper then lower case, except where the two differ (dotless i stays,
      // final sigma and sharp s fold, Cherokee folds to its capitals)
      .replace(/[^\u0131]+/g, function (part) { return part.toUpperCase().toLowerCase(); })
      .replace(/\u03c2/g, "\u03c3").replace(/\u00df/g, "ss")
      .replace(/[\uab70-\uabbf]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xab70 + 0x13a0); })
      .replace(/[\u13f8-\u13fd]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 8); })
      .replace(/[^\p{L}\p{N}]/gu, " ");
  }

  function distinct(words) {
    return words.filter(function (w, i) { return w && words.indexOf(w) === i; });
  }

  function searchWords(text) {  // the first 8 distinct words of the first 200 characters; no word that starts another
    var words = distinct(fold(Array.from(text).slice(0, MAX_SEARCH_CHARS).join("")).split(" ")).slice(0, MAX_SEARCH_WORDS);
    return words.filter(function (w) { return !words.some(function (o) { return o !== w && o.indexOf(w) === 0; }); });
  }

  function searchIsCut(text) {
    return Array.from(text).length >= MAX_SEARCH_CHARS || distinct(fold(text).split(" ")).length > MAX_SEARCH_WORDS;
  }
  window.reportSearch = { fold: fold, words: searchWords };  // for tests, and anyone checking a search by hand

  function searchText(item) {  // filters.py's haystack: " " + the folded title, description, actors, place and actors' aliases
    function part(sel, skip) {
      var el = item.querySelector(sel);
      return el ? el.textContent.slice(skip || 0) : "";
    }
    var aliases = item.getAttribute("data-al");
    return " " + fold([part("h3"), part(".d"), part(".w", "Actors: ".length), part(".pl")].concat(aliases ? [aliases] : []).join("\n"));
  }

  /* ---- filtering (dashboard/filters.py: category in set; overlaps [from, to]; independently sourced; every word found) ---- */
  function day(value) {  // YYYY-MM-DD -> days since 1970-01-01, NaN when empty or while its year is typed ('0202-07-01')
    return value >= "1000" ? Date.UTC(+value.slice(0, 4), +value.slice(5, 7) - 1, +value.slice(8, 10)) / 86400000 : NaN;
  }

  function readFilters() {
    var cats = {};
    document.querySelectorAll("#categories input:checked").forEach(function (box) { cats[box.value] = true; });
    return {
      cats: cats,
      from: day(document.getElementById("from").value),
      to: day(document.getElementById("to").value),
      words: searchWords(document.getElementById("search").value),
      indep: document.getElementById("indep").checked
    };
  }

  function keeps(f, i) {
    if (!f.cats[E.category[i]]) return false;
    if (f.from === f.from && !(E.end[i] > f.from)) return false;  // end is exclusive: ends after the day before 'from'
    if (f.to === f.to && !(E.start[i] <= f.to)) return false;
    if (f.indep && !E.indep[i]) return false;  // independently sourced (filters.py: INDEPENDENT)
    if (f.words.length) {
      if (!texts) texts = Array.prototype.map.call(items, searchText);
      for (var w = 0; w < f.words.length; w++) {
        if (texts[i].indexOf(" " + f.words[w]) < 0) return false;
      }
    }
    return true;
  }

  /* ---- charts: narrow each figure's points to the visible events ---- */
  var PER_POINT = ["x", "y", "lat", "lon", "text", "hovertext", "customdata", "textposition",
                   "marker.size", "marker.symbol", "marker.color", "width", "base", "error_y.array", "error_y.arrayminus"];

  function plain(v) {  // a typed-array spec -> a plain array (plotly restyles those point by point)
    return v && typeof v === "object" && typeof v.bdata === "string" ? Array.from(typed(v)) : v;
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

  function escapeText(s) {  // for plotly's pseudo-HTML hover labels, never for the page
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function isShown(i) {  // an event index, or -1 for a point no event owns (shown while nothing is filtered out)
    return i >= 0 ? visible[i] === 1 : shown === total;
  }

  function groupCounts(chart) {  // per recounted trace, the visible events of each point (one pass over the events)
    var T = chart.groups.trace, P = chart.groups.point, i;
    function zeros() {
      return chart.traces.map(function (trace, t) {
        return chart.points[t] ? new Array((trace.x || trace.lat || []).length).fill(0) : null;
      });
    }
    var counts = zeros();
    for (i = 0; i < T.length; i++) if (T[i] >= 0 && visible[i]) counts[T[i]][P[i]]++;
    if (!chart.totals) {
      chart.totals = zeros();
      for (i = 0; i < T.length; i++) if (T[i] >= 0) chart.totals[T[i]][P[i]]++;
    }
    return counts;
  }

  function narrowed(chart) {
    var counts = chart.kind === "groups" ? groupCounts(chart) : [];
    var highest = 1;  // the aggregate timeline scales every lane's bars by the tallest of all lanes (figures/timeline.py)
    counts.forEach(function (c) { if (c) for (var j = 0; j < c.length; j++) if (c[j] > highest) highest = c[j]; });
    return chart.traces.map(function (trace, t) {
      var pts = chart.points[t];
      if (!pts) return trace;
      var keep = [], j;
      if (chart.kind === "points") {
        for (j = 0; j < pts.length; j++) if (isShown(pts[j])) keep.push(j);
        chart.kept[t] = keep;
        return pick(trace, keep);
      }
      var c = counts[t], totals = chart.totals[t], out;
      if (chart.name === "monthly") {  // every month stays; an empty one has no bar (null, as in figures/monthly.py)
        return Object.assign({}, trace, { y: c.map(function (v) { return v || null; }) });
      }
      for (j = 0; j < c.length; j++) if (c[j]) keep.push(j);
      chart.kept[t] = keep;
      out = pick(trace, keep);
      if (chart.bars) {  // timeline counts per lane and period: bars hang down from the lane's top
        out.y = keep.map(function (j) { return -Math.max(chart.bars.top * c[j] / highest, chart.bars.min); });
        out.customdata = keep.map(function (j) { return c[j]; });  // the count of each bar (for tests and tools)
        if (Array.isArray(trace.hovertext)) {
          out.hovertext = keep.map(function (j) {
            return c[j] === totals[j] ? trace.hovertext[j]
              : String(trace.hovertext[j]).split("<br>")[0] + "<br>" + c[j] + " of " + totals[j] + " events match the filters";
          });
        }
        return out;
      }
      // map: a bubble per place with visible events, area growing with their number (figures/map.py's rule)
      var max = Math.max.apply(null, [1].concat(c));
      setPath(out, "marker.size", keep.map(function (j) { return 8 + 30 * Math.sqrt(c[j] / max); }));
      out.hovertext = keep.map(function (j) {
        return c[j] === totals[j] ? trace.hovertext[j]
          : "<b>" + escapeText(trace.customdata[j]) + "</b><br>" + c[j] + " of " + totals[j] + " events match the filters";
      });
      return out;
    });
  }

  var charts = data.charts.map(function (c) {
    var groups = c.groups && { trace: typed(c.groups.trace), point: typed(c.groups.point) };
    return { id: c.id, name: c.name, kind: c.kind, opaque: c.opaque, bars: c.bars, points: c.points.map(typed),
             captions: c.captions ? typed(c.captions) : null,
             groups: groups, layout: c.figure.layout, traces: decodeTraces(c.figure.data), kept: {}, totals: null,
             el: document.getElementById(c.id), note: document.getElementById("note-" + c.id) };
  });

  /* ---- the date axes follow the date filter, as in the dashboard: the timeline shows the chosen days, the
     monthly chart the bins (its bars' period) they touch; the figure's own full range once the dates are cleared ---- */
  var DAY = 86400000, filters = null;
  var extent = [Infinity, -Infinity];  // the report's first day and the day after its last, for an open end
  for (var e = 0; e < total; e++) {
    if (E.start[e] < extent[0]) extent[0] = E.start[e];
    if (E.end[e] > extent[1]) extent[1] = E.end[e];
  }

  function dateSpan(f) {  // [first day, day after the last] of the date filter, in days; null: none or inverted
    if (f.from !== f.from && f.to !== f.to) return null;
    var lo = f.from === f.from ? f.from : Math.min(extent[0], f.to);
    var hi = f.to === f.to ? f.to + 1 : Math.max(extent[1], f.from + 1);
    return lo < hi ? [lo, hi] : null;
  }

  function binMonths(chart) {  // months per bar of a chart of periods ('M1': a month), else 0
    var t = chart.traces.find(function (t) { return /^M\d+$/.test(String(t.xperiod)); });
    return t ? +t.xperiod.slice(1) : 0;
  }

  function binStart(days, months, after) {  // the first day of the bin holding a day (after: of the next bin)
    var d = new Date(days * DAY), m = d.getUTCFullYear() * 12 + d.getUTCMonth();
    m -= (((m - 24000) % months) + months) % months;  // bins counted from January 2000, plotly's xperiod0
    if (after) m += months;
    return Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY;
  }

  function axisRange(chart) {  // the x range a date axis shows for the current filters, null for its full range
    var span = filters && (chart.name === "timeline" || chart.name === "monthly") ? dateSpan(filters) : null;
    if (!span) return shown || !chart.full ? null : chart.full;  // no event to frame: the range of the first drawing
    var months = chart.name === "monthly" ? binMonths(chart) : 0;
    if (months) span = [binStart(span[0], months, false), binStart(span[1] - 1, months, true)];
    return span.map(function (d) { return new Date(d * DAY).toISOString().slice(0, 10); });
  }

  function followDates(chart) {  // for a chart that is not redrawn: move its date axis only
    var range = axisRange(chart), key = range ? range.join() : "";
    if (key === (chart.rangeKey || "")) return;
    chart.rangeKey = key;
    Plotly.relayout(chart.el, range ? { "xaxis.range": range, "xaxis.autorange": false } : { "xaxis.autorange": true });
  }

  function layoutFor(chart) {  // a fresh copy each time (plotly keeps it); on a phone, legends go below the plot
    var layout = JSON.parse(JSON.stringify(chart.layout));
    var range = axisRange(chart);
    if (range) layout.xaxis = Object.assign({}, layout.xaxis, { range: range, autorange: false });
    if (layout.xaxis) {  // a new date range replaces a zoom made by hand; other changes keep it
      layout.xaxis.uirevision = range ? range.join() : "full";
    }
    chart.rangeKey = range ? range.join() : "";
    if (chart.name === "timeline" && storyStep) storyFrame(chart, layout);
    if (chart.captions && layout.meta && layout.meta.captions) {  // only the captions of visible events (captions.js)
      layout.meta.captions.shown = Array.prototype.map.call(chart.captions, function (i) { return i >= 0 && visible[i] === 1; });
    }
    if (chart.bars && shown < total) {  // the aggregate's note names how many events its bars count
      (layout.annotations || []).forEach(function (note) {
        if (typeof note.text === "string") note.text = note.text.replace(/^[\d,]+ events/, shown + " of " + total + " events");
      });
    }
    if (window.innerWidth < 700) {
      layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, xanchor: "left", y: -0.12, yanchor: "top" });
    }
    return layout;
  }

  function draw(first) {
    charts.forEach(function (chart) {
      if (!chart.el || !window.Plotly) return;
      if (chart.opaque) {  // an aggregate drawn from every event: dimmed, with a note, while filters narrow
        chart.el.classList.toggle("dim", shown < total);
        if (chart.note) chart.note.hidden = shown === total;
        if (!first) { followDates(chart); return; }
      }
      var traces = narrowed(chart);
      if (first) {
        Plotly.newPlot(chart.el, traces, layoutFor(chart), data.config).then(function () {
          var axis = chart.el._fullLayout.xaxis;
          if (axis && axis.type === "date") chart.full = axis.range.slice();
        });
      } else {
        Plotly.react(chart.el, traces, layoutFor(chart), data.config);
      }
    });
  }

  /* ---- story mode (dashboard/views/story.py): the key events one slide at a time; slide 0 is the title
     slide; the step is ?story=N in the address, so a link opens that slide; the filters are left alone ---- */
  var story = data.story || { events: [], captions: [], positions: ["Introduction (slide 0 of 0)"], window: 75 };
  var slides = story.events.length, storyStep = null;  // null: not in story mode
  var storyPanel = document.getElementById("story"), storySlide = document.getElementById("story-slide");
  var storyStart = document.getElementById("story-start"), storyNotice = document.getElementById("story-notice");
  var storyPrev = document.getElementById("story-prev"), storyNext = document.getElementById("story-next");

  function storyFromUrl() {  // state.read_story's rule: digits from 0 to the number of key events
    var raw = (new URLSearchParams(location.search).get("story") || "").trim();
    if (!raw) return { step: null, problem: "", raw: raw };
    if (!/^[0-9]+$/.test(raw)) return { step: null, problem: "not a slide number: 0 to " + slides, raw: raw };
    var step = raw.length > 6 ? slides + 1 : +raw;
    if (step > slides) return { step: null, problem: slides ? "no such slide: 0 to " + slides : "no key events to tell", raw: raw };
    return { step: step, problem: "", raw: raw };
  }

  function storyUrl(step) {  // replaceState works from file:// too (the query of the same file)
    var params = new URLSearchParams(location.search);
    if (step === null) params.delete("story"); else params.set("story", String(step));
    var query = params.toString();
    try { history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash); } catch (e) { /* kept as it was */ }
  }

  function storyFrame(chart, layout) {  // story.story_timeline: the slide's event ringed, WINDOW_DAYS around it in view
    var i = story.events[storyStep - 1];
    if (!(i >= 0)) return;
    var lo = E.start[i] - story.window, hi = Math.max(E.end[i], E.start[i]) + story.window;
    layout.xaxis = Object.assign({}, layout.xaxis, { autorange: false, uirevision: "story-" + storyStep,
      range: [lo, hi].map(function (d) { return new Date(d * DAY).toISOString().slice(0, 10); }) });
    if (chart.kind !== "points") return;  // counts per period: no marker of its own to ring
    for (var t = 0; t < chart.traces.length; t++) {
      var pts = chart.points[t], trace = chart.traces[t];
      if (!pts || !/markers/.test(trace.mode || "")) continue;
      var j = Array.prototype.indexOf.call(pts, i);
      if (j < 0) continue;
      layout.shapes = (layout.shapes || []).concat([{ type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel",
        xanchor: trace.x[j], yanchor: trace.y[j], x0: -11, x1: 11, y0: -11, y1: 11, layer: "above",
        line: { color: "#111111", width: 3 } }]);
      return;
    }
  }

  function cloneEvent(item) {  // an event of the list, its sources open, for a panel (the selected event, a slide)
    var clone = item.cloneNode(true);
    clone.removeAttribute("id");
    clone.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });  // anchors stay unique
    clone.classList.remove("is-selected");
    clone.querySelector("details").open = true;
    return clone;
  }

  function slideNodes(step) {  // escaped HTML rendered by Python, cloned; the caption as text
    if (step === 0) {
      var title = document.getElementById("story-title").cloneNode(true);
      title.removeAttribute("id");
      return [title];
    }
    var caption = document.createElement("p"), i = story.events[step - 1], nodes = [caption];
    caption.className = "story-caption";
    caption.textContent = story.captions[step - 1];
    if (i >= 0 && items[i]) {
      var clone = cloneEvent(items[i]);
      clone.removeAttribute("tabindex");
      var list = document.createElement("ol");
      list.className = "events";
      list.appendChild(clone);
      nodes.push(list);
    }
    return nodes;
  }

  function showStory(step, redraw) {
    storyStep = step;
    storyPanel.hidden = step === null;
    if (storyStart) storyStart.hidden = step !== null || !slides;
    if (step !== null) {
      document.getElementById("story-position").textContent = story.positions[step];
      storyPrev.disabled = step === 0;
      storyNext.disabled = step >= slides;
      storySlide.replaceChildren.apply(storySlide, slideNodes(step));
    }
    storyUrl(step);
    var chart = charts.find(function (c) { return c.name === "timeline"; });
    if (redraw && chart && chart.el && window.Plotly && !chart.opaque) {
      Plotly.react(chart.el, narrowed(chart), layoutFor(chart), data.config);
    }
  }

  function storyIntoView() {  // just under the filters, which stay stuck to the top of the window
    var controls = document.getElementById("controls");
    var sticky = controls && getComputedStyle(controls).position === "sticky";
    storyPanel.style.scrollMarginTop = sticky ? controls.offsetHeight + 8 + "px" : "";
    storyPanel.scrollIntoView({ block: "start" });
  }

  if (storyStart) storyStart.addEventListener("click", function () { showStory(0, true); storyIntoView(); });
  storyPrev.addEventListener("click", function () { if (storyStep > 0) showStory(storyStep - 1, true); });
  storyNext.addEventListener("click", function () { if (storyStep !== null && storyStep < slides) showStory(storyStep + 1, true); });
  document.getElementById("story-leave").addEventListener("click", function () { showStory(null, true); });
  document.addEventListener("keydown", function (ev) {  // ←, → and Escape while the story is shown, unless typing
    var target = ev.target;
    if (storyStep === null || ev.altKey || ev.ctrlKey || ev.metaKey ||
        (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))) return;
    var button = { ArrowLeft: storyPrev, ArrowRight: storyNext, Escape: document.getElementById("story-leave") }[ev.key];
    if (button) { ev.preventDefault(); if (!button.disabled) button.click(); }
  });

  /* ---- the event list, the count and the selected event ---- */
  var count = document.getElementById("count"), none = document.getElementById("no-events");
  var panel = document.getElementById("selected");
  var searchNote = document.getElementById("search-note");

  function update(first) {
    var f = readFilters(), n = 0;
    filters = f;
    for (var i = 0; i < total; i++) {
      var keep = keeps(f, i);
      visible[i] = keep ? 1 : 0;
      if (keep) n++;
      if (items[i].hidden === keep) items[i].hidden = !keep;
    }
    shown = n;
    count.textContent = n + " of " + total + " event" + (total === 1 ? "" : "s");
    if (searchNote) searchNote.hidden = !searchIsCut(document.getElementById("search").value);
    none.hidden = n > 0;
    none.textContent = f.from > f.to ? "From is after To: no events can match; swap them." : "No event matches these filters.";
    draw(first);
  }

  function select(i, scroll) {
    var item = items[i];
    if (!item) return;
    list.querySelectorAll(".is-selected").forEach(function (el) { el.classList.remove("is-selected"); });
    item.classList.add("is-selected");
    item.querySelector("details").open = true;
    if (panel) {
      var clone = cloneEvent(item);
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
    var item = ev.target.closest("li.ev");
    if (!item || ev.target.closest("a, summary")) return;
    var details = item.querySelector("details");
    details.open = !details.open;
  });
  list.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches("li.ev")) {
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
  var asked = storyFromUrl();
  storyStep = asked.step;
  update(true);
  if (data.selected >= 0) select(data.selected, true);  // the event selected in the dashboard when this was saved
  charts.forEach(function (chart) {  // after newPlot: it gives the chart divs their .on
    if (chart.kind !== "points" || !chart.el || !chart.el.on) return;
    chart.el.on("plotly_click", function (ev) {
      var p = ev && ev.points && ev.points[0], kept = p && chart.kept[p.curveNumber];
      var pts = p && chart.points[p.curveNumber];
      if (kept && pts) select(pts[kept[p.pointNumber]], true);
    });
  });
  if (asked.problem) {
    storyNotice.textContent = "Ignored in the link: story '" + asked.raw.slice(0, 60) + "' (" + asked.problem + ").";
    storyNotice.hidden = false;
  }
  showStory(asked.step, false);
  if (asked.step !== null) storyIntoView();

})();
