"""Claimant colours from the actor registry: a hue per country, a shade per actor.

An actor's colour depends only on the registry, never on which claimants a view happens to show,
so a claimant keeps its colour in every filtered view, in the dashboard and in every export.
Within a country the actors are ordered by body (a body, then the people and units under it), so
the shades run from one body to the next and a spokesperson sits next to the body they speak for;
neighbouring shades also alternate their hue a little, so that two neighbours stay apart.
Names the registry does not know get greys, in name order.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable

from ...data.cells import split_actors
from ...data.registry import Registry, bundled_registry

# country -> (hue in degrees, saturation, lightness from, lightness to); the legend lists countries in this order
COUNTRY_SHADES = {
    "KR": (212, 0.70, 0.24, 0.62),
    "UA": (38, 0.90, 0.40, 0.62),
    "GB": (275, 0.45, 0.32, 0.66),
    "US": (135, 0.55, 0.22, 0.50),
    "RU": (358, 0.70, 0.32, 0.64),
    "KP": (26, 0.55, 0.20, 0.46),
    "international": (322, 0.50, 0.34, 0.68),
}
SPARE_HUES = (180, 60, 300, 95, 195, 345, 250, 15)  # further countries, in code order
COUNTRY_LABELS = {"KR": "South Korea", "UA": "Ukraine", "GB": "UK", "US": "US", "RU": "Russia", "KP": "DPRK",
                  "international": "International"}
UNREGISTERED = "Not registered"
_GREY = (0, 0.0, 0.22, 0.70)
_JITTER = (0, 10, -10)  # hue steps (degrees) between neighbouring shades


def _hex(hue: float, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation)
    return "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in (r, g, b)))


def _shades(n: int, spec: tuple[float, float, float, float]) -> list[str]:
    hue, saturation, low, high = spec
    steps = [0.5] if n == 1 else [i / (n - 1) for i in range(n)]
    return [_hex(hue + _JITTER[i % 3] * (saturation > 0), saturation, low + (high - low) * t) for i, t in enumerate(steps)]


def countries(registry: Registry) -> list[str]:
    """The registry's countries in legend order: the fixed ones first, then the others by code."""
    present = {a.country for a in registry.actors or ()}
    return [c for c in COUNTRY_SHADES if c in present] + sorted(present - set(COUNTRY_SHADES))


def country_label(code: str) -> str:
    return COUNTRY_LABELS.get(code, code)


def registry_colors(registry: Registry) -> dict[str, str]:
    """Canonical name -> colour for every actor of the registry (computed once per registry)."""
    cached = getattr(registry, "_claimant_colors", None)
    if cached is not None:
        return cached
    order = registry.group_order()
    spare = iter(SPARE_HUES * 4)
    out: dict[str, str] = {}
    for code in countries(registry):
        names = sorted((name for name, key in order.items() if key[0] == code), key=lambda name: order[name])
        spec = COUNTRY_SHADES.get(code) or (next(spare), 0.45, 0.30, 0.58)
        out.update(zip(names, _shades(len(names), spec)))
    registry._claimant_colors = out
    return out


def lead_name(claimant: str, registry: Registry) -> str:
    """The canonical name whose colour a claimant takes (the first of 'A; B'), or the claimant itself."""
    names = split_actors(claimant)
    return registry.canonical(names[0]) if names else claimant


def claimant_family(claimant: str, registry: Registry | None = None) -> str:
    """The legend family of a claimant: its country's label, or 'Not registered'."""
    registry = registry or bundled_registry()
    actor = registry.actor(lead_name(claimant, registry))
    return country_label(actor.country) if actor else UNREGISTERED


def family_order(registry: Registry | None = None) -> list[str]:
    """Legend families in order: the registry's countries, then the unregistered names."""
    return [country_label(c) for c in countries(registry or bundled_registry())] + [UNREGISTERED]


def claimant_color_map(claimants: Iterable[str], registry: Registry | None = None) -> dict[str, str]:
    """Claimant -> colour: the registry's colour of the actor it names; greys for unregistered names,
    in sorted name order (pass the full dataset's claimants to pin those too)."""
    registry = registry or bundled_registry()
    colors = registry_colors(registry)
    out: dict[str, str] = {}
    unknown = []
    for name in sorted({str(c) for c in claimants}):
        lead = lead_name(name, registry)
        if lead in colors:
            out[name] = colors[lead]
        else:
            unknown.append(name)
    out.update(zip(unknown, _shades(len(unknown), _GREY) if len(unknown) > 1 else [_hex(*_GREY[:2], 0.45)] * len(unknown)))
    return out


def legend_key(claimant: str, registry: Registry | None = None) -> tuple:
    """Sort key that lists claimants country by country (legend order), body by body within a country."""
    registry = registry or bundled_registry()
    order = registry.group_order()
    lead = lead_name(claimant, registry)
    family = family_order(registry)
    if lead in order:
        return (family.index(country_label(order[lead][0])), order[lead][1], claimant)
    return (len(family), (), claimant)


def _luminance(color: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours (1 to 21; AA asks 4.5 of text, 3 of graphics)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def edge_color(color: str, background: str = "#ffffff", minimum: float = 3.0) -> str:
    """The colour itself when it stands out from the background by ``minimum`` (AA for graphics), else the
    first darker shade of it that does: the outline of a marker or bar in a pale category colour
    (sand, cyan, teal on the charts' white paper), so the mark is seen without changing its colour."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    for step in range(21):
        share = 1 - step / 20
        shade = "#{:02x}{:02x}{:02x}".format(*(round(c * share) for c in (r, g, b)))
        if contrast_ratio(shade, background) >= minimum:
            return color if step == 0 else shade
    return "#000000"
