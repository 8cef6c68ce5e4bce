"""Embedding the exported charts in other pages: iframes that take the height their chart needs.

Each chart page (export.chart_html) wraps its content in ``#embed-root`` and, when it is inside a frame,
posts that wrapper's height to the host page whenever it changes (a ResizeObserver: the wrapper, not the
document, since a document is never shorter than its frame and the frame would only ever grow). The
host page's script, part of each embed code, sets the height of the iframe the message came from (it
matches ``event.source`` to the iframe's window, and the sender's origin to the iframe's address when
that is a web address). ``embed.html`` lists the code of every chart with an alternative text for
readers who cannot see it. All of it works from file:// as from a web server, with no library.
"""

from __future__ import annotations

from collections import Counter
from html import escape

import pandas as pd

from ..data.schema import load_schema
from ..data.summary import date_span
from ..views.figures import monthly_periods
from ..views.figures.claims import QUANTITY_TITLES, quantity_of
from ..views.figures.monthly import LEGEND_ROW_PX
from ..views.labels import date_label
from .datafiles import places

EMBED_FILE = "embed.html"
MESSAGE = "dprk-timeline:height"  # the chart page's message: {type, chart, height}
ASK = "dprk-timeline:send-height"  # the host's request to post the height again (a frame that loaded first)
MIN_WIDTH_PX = 320  # the narrowest column a chart is made for
NARROW_PX = 480  # below this width a legend in columns takes one entry per row

# The chart page's side; ``name`` is the chart's name (timeline, map, ...). First, a legend in columns (the
# monthly chart's two) does not fit a column narrower than NARROW_PX: there it takes one entry per row, and
# the chart grows by the rows that adds (its frame follows). Then the height messages. Written on
# one line in the page (chart_embeddable), so no '//' comments in it.
CHART_SCRIPT = """<script>
(function () {
  var root = document.getElementById("embed-root");
  var gd = root && root.querySelector(".plotly-graph-div"), first = null, narrow = null;
  function fitLegend() {
    if (!gd || !gd._fullLayout || !window.Plotly) return;
    var legend = gd.layout.legend || {};
    if (first === null) {
      if (legend.entrywidthmode !== "fraction" || !(legend.entrywidth < 1)) return;
      var entries = gd._fullData.filter(function (t) { return t.showlegend && t.visible === true; }).length;
      var columns = Math.round(1 / legend.entrywidth);
      first = {height: gd.layout.height, bottom: (gd.layout.margin || {}).b || 0, width: legend.entrywidth,
               extra: (entries - Math.ceil(entries / columns)) * %(row)d};
    }
    var now = root.clientWidth < %(narrow)d, was = narrow;
    narrow = now;
    if (now === was || (was === null && !now)) return;
    var height = first.height + (now ? first.extra : 0);
    gd.parentElement.style.height = height + "px";
    Plotly.relayout(gd, {"height": height, "margin.b": first.bottom + (now ? first.extra : 0),
                         "legend.entrywidth": now ? 1 : first.width});
  }
  if (gd && gd.on) { gd.on("plotly_afterplot", fitLegend); fitLegend(); }
  if (window.ResizeObserver && root) new ResizeObserver(fitLegend).observe(root);
  if (window.parent === window || !root || !window.ResizeObserver) return;
  function post() {
    window.parent.postMessage({type: "%(message)s", chart: "%(name)s",
                               height: Math.ceil(root.getBoundingClientRect().height)}, "*");
  }
  var last = -1;
  new ResizeObserver(function () {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== last) { last = height; post(); }
  }).observe(root);
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "%(ask)s") post();
  });
})();
</script>"""
# Margins that would make the page taller than its wrapper go; the wrapper holds its children's margins.
# In a narrow column the claimants' names at their latest points (placed for a laptop) would overlap:
# there, as on the dashboard's phone layout, they go and hovering or tapping a point names the claimant.
CHART_STYLE = ("<style>body{margin:0}#embed-root{display:flow-root;min-width:%dpx}"
               "@media (max-width:600px){#claims .scatterlayer .textpoint{display:none}}</style>" % MIN_WIDTH_PX)

# The host page's side, in every embed code; installs itself once however many charts a page embeds.
HOST_SCRIPT = """<script>
(function () {
  if (window.dprkTimelineEmbeds) return;
  window.dprkTimelineEmbeds = true;
  function frames() { return document.querySelectorAll("iframe[data-dprk-timeline]"); }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "%(message)s" || typeof data.height !== "number" || !(data.height > 0)) return;
    Array.prototype.forEach.call(frames(), function (frame) {
      if (frame.contentWindow !== event.source) return;
      var src = new URL(frame.src, location.href);  // (a file:// page's origin is opaque: nothing to compare)
      if (/^https?:$/.test(src.protocol) && src.origin !== event.origin) return;
      frame.style.height = Math.min(Math.ceil(data.height), 20000) + "px";
    });
  });
  Array.prototype.forEach.call(frames(), function (frame) {
    function ask() { if (frame.contentWindow) frame.contentWindow.postMessage({type: "%(ask)s"}, "*"); }
    frame.addEventListener("load", ask);
    ask();
  });
})();
</script>""" % {"message": MESSAGE, "ask": ASK}
_HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0"


def chart_embeddable(page: str, name: str) -> str:
    """A chart page whose content sits in #embed-root and which posts that height to a host page."""
    page = page.replace("</head>", CHART_STYLE + "\n</head>", 1)
    page = page.replace("<body>", '<body>\n<div id="embed-root">', 1)
    script = CHART_SCRIPT % {"message": MESSAGE, "ask": ASK, "name": name, "row": LEGEND_ROW_PX, "narrow": NARROW_PX}
    script = " ".join(line.strip() for line in script.splitlines())  # one line: the page stays compact
    return page.replace("</body>", "</div>\n" + script + "\n</body>", 1)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _period(events: pd.DataFrame) -> str:
    first, last = date_span(events)
    return f"from {date_label(first)} to {date_label(last)}" if first else ""


def alt_text(name: str, events: pd.DataFrame) -> str:
    """What a chart shows, in words, for readers who cannot see it: '[chart] of [data] where [what stands out]'."""
    n = len(events)
    if n == 0:
        return "An empty chart: no event matches the filters of this export."
    period = _period(events)
    if name == "timeline":
        counts = events["category"].astype(str).value_counts()
        lanes = "; ".join(f"{c.label} {counts[c.value]}" for c in load_schema().categories if counts.get(c.value))
        return f"Timeline of {_count(n, 'event')} {period}, one row per category: {lanes}."
    if name == "map":
        features = places(events)["features"]
        located = sum(f["properties"]["count"] for f in features)
        if not features:
            return f"Map with no places: none of the {_count(n, 'event')} has coordinates."
        busiest = "; ".join(f"{f['properties']['place'] or 'unnamed'} ({f['properties']['count']})" for f in features[:3])
        missing = n - located
        return (f"Map of {_count(len(features), 'place')} where {located:,} of the {_count(n, 'event')} happened, each a circle "
                f"sized by its number of events; the most at {busiest}."
                + (f" {_count(missing, 'event')} without coordinates {'is' if missing == 1 else 'are'} not on the map." if missing else ""))
    if name == "monthly":
        period_name, _, bars = monthly_periods(events)
        busiest, k = Counter(pd.DatetimeIndex(bars).strftime("%Y-%m")).most_common(1)[0]
        when = date_label(busiest) if period_name == "month" else f"the {period_name} from {date_label(busiest)}"
        return (f"Bar chart of the number of events per {period_name} {period}, coloured by category; the most, "
                f"{k:,}, in {when}.")
    figures = [f for cell in events["figures"] for f in cell if quantity_of(f["unit"]) is not None]
    if not figures:
        return f"Chart of reported figures: none of the {_count(n, 'event')} reports a figure that is charted."
    panels = list(dict.fromkeys(QUANTITY_TITLES[q] for q in sorted(
        {quantity_of(f["unit"]) for f in figures}, key=list(QUANTITY_TITLES).index)))
    claimants = {f["claimant"] for f in figures}
    return (f"Chart of {_count(len(figures), 'reported figure')} by {_count(len(claimants), 'claimant')}, one panel "
            f"per quantity ({'; '.join(panels)}), each claimant's successive estimates joined in time order.")


def embed_code(chart: dict, title: str, alt: str) -> str:
    """The copy-paste code of one chart: the iframe (full width, the chart's height until it reports its own),
    the alternative text the iframe is described by, and the host script."""
    name = chart["name"]
    height = int((chart["figure"].get("layout") or {}).get("height") or 450)
    alt_id = f"dprk-timeline-{name}-alt"
    return (f'<iframe src="{escape(chart["file"])}" title="{escape(title)}" width="100%" height="{height}" '
            f'loading="lazy" style="display:block;width:1px;min-width:100%;border:0" '
            f'aria-describedby="{alt_id}" data-dprk-timeline="{escape(name)}"></iframe>\n'
            f'<p id="{alt_id}" style="{_HIDDEN}">{escape(alt)}</p>\n{HOST_SCRIPT}\n')


PAGE_SCRIPT = """<script>
// served from a web address: the codes point at the charts there, ready to paste into another site
if (/^https?:$/.test(location.protocol)) {
  document.querySelectorAll("textarea[data-file]").forEach(function (code) {
    var file = code.getAttribute("data-file");
    code.value = code.value.replace('src="' + file + '"', 'src="' + new URL(file, location.href).href + '"');
  });
}
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var code = document.getElementById(button.getAttribute("data-copy"));
    code.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code.value).then(done, function () {});
    else if (document.execCommand("copy")) done();
  });
});
</script>"""

PAGE_STYLE = """<style>
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2430; }
main { max-width: 56rem; margin: 0 auto; padding: 1rem; }
textarea { width: 100%; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; }
section { border-top: 1px solid #dde1e7; margin-top: 1.5rem; }
.alt { background: #f5f7fa; padding: .5rem .75rem; }
</style>"""


def embed_page(charts: list[dict], events: pd.DataFrame, title: str) -> str:
    """embed.html: per chart, its embed code (in a text box with a Copy button) and alternative text."""
    sections = []
    for chart in charts:
        name, alt = chart["name"], alt_text(chart["name"], events)
        code = embed_code(chart, f"{title}: {chart['title']}", alt)
        sections.append(
            f'<section aria-labelledby="h-{name}"><h2 id="h-{name}">{escape(chart["title"])}</h2>'
            f'<p><a href="{escape(chart["file"])}">Open the chart</a> ({escape(chart["file"])})</p>'
            f'<label for="code-{name}">Embed code</label>'
            f'<textarea id="code-{name}" data-file="{escape(chart["file"])}" readonly rows="8" spellcheck="false">'
            f"{escape(code)}</textarea>"
            f'<p><button type="button" data-copy="code-{name}">Copy the code</button></p>'
            f'<p class="alt" id="alt-{name}"><strong>Alternative text:</strong> {escape(alt)}</p></section>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}: embed codes</title>
{PAGE_STYLE}
</head>
<body>
<main>
<h1>Embed these charts in your page</h1>
<p>Publish this folder on a web host (any static host will do: the files need no server code), then paste a
chart's code into your page or your CMS's HTML block. The chart takes the width of its column (down to
{MIN_WIDTH_PX} px) and sets its height itself: keep the script in the code, it listens for the height the chart
reports. The codes below point to the files beside this page: opened from the published address, this page
gives their full addresses; otherwise put that address before the file name in <code>src</code>.</p>
<p>Each code carries an alternative text for readers who cannot see the chart; it is also shown below for
a CMS's description field. The full list of events with their sources is in <a href="index.html">the report</a>.</p>
{chr(10).join(sections)}
</main>
{PAGE_SCRIPT}
</body>
</html>
"""
