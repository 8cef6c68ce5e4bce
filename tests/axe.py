"""axe-core (the accessibility engine behind most checkers), run in the page a selenium driver shows.

The engine is vendored under tests/vendor/axe-core/ (see its README): a test-only file, never served.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# the WCAG 2.0, 2.1 and 2.2 level A and AA rule tags
WCAG_TAGS = frozenset({"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"})
SERIOUS = frozenset({"serious", "critical"})

DARK = {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
LIGHT = {"features": [{"name": "prefers-color-scheme", "value": "light"}]}


@lru_cache(maxsize=1)
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  done(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, tags: v.tags, help: v.help, nodes: v.nodes.map(function (n) {
      return {target: n.target.join(' '), summary: n.failureSummary || ''};
    })};
  }));
}, function (e) { done({error: String(e)}); });
"""


def violations(driver) -> list[dict]:
    """axe's violations in the page shown now that count here: impact serious or critical, or any
    WCAG 2.0/2.1/2.2 A or AA rule whatever its impact."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(_source())
    driver.set_script_timeout(60)
    found = driver.execute_async_script(_RUN)
    assert not isinstance(found, dict), found
    return [v for v in found if v["impact"] in SERIOUS or WCAG_TAGS & set(v["tags"])]


def describe(where: str, found: list[dict]) -> list[str]:
    """One line per element: where it was seen, the rule, its impact, the element and axe's fix."""
    return [f"{where}: {v['id']} ({v['impact']}; {v['help']}) at {n['target']}: {' '.join(n['summary'].split())}"
            for v in found for n in v["nodes"]]
