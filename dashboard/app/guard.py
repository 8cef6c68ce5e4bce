"""What a request may carry, checked before Dash sees it.

Malformed input is the client's mistake: it gets a 4xx and nothing is logged, so the log keeps
tracebacks for real server errors only. The checks are Flask's own body limit (413), then, for
callback requests, one parse of the JSON (too deep a nesting is a 400, not a RecursionError)
and a check of its shape against the registered callbacks, and of each value's type where the
component can only send one type. Values the callbacks still get are well-formed, though they
may be nonsense (an unknown event id, a click without points): the callbacks ignore those.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from dash import Dash
from dash.exceptions import DependencyException
from flask import request
from werkzeug.exceptions import BadRequest, NotFound

from . import ids

# The largest body a browser sends is a brush over the whole monthly chart of a long, dense
# dataset (its selectedData lists every bar): under 250 kB for 100,000 synthetic events over 11
# years (1,161 bars, counted generously at ~210 bytes each). 2 MB leaves 8x that, and a body of
# that size parses in ~20 ms, where one of 200 MB took 2 GB of memory.
MAX_BODY_BYTES = 2_000_000
CALLBACK_PATH = "_dash-update-component"


def _is_str(v) -> bool:
    return isinstance(v, str)


def _is_str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_count(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_dict(v) -> bool:
    return isinstance(v, dict)


def _is_flag(v) -> bool:
    return isinstance(v, bool)


def _is_key(v) -> bool:
    """A key the server gave the page (a digest or a data token), or none yet."""
    return v is None or (isinstance(v, str) and len(v) <= 64)


# What each input can hold (None or "", a prop not yet set, is always allowed). A (component, prop)
# that is not listed is passed on unchecked: its callback must take any JSON value.
VALUE_TYPES: dict[tuple[str, str], Callable[[object], bool]] = {
    (ids.URL, "search"): _is_str,
    (ids.CATEGORY, "value"): _is_str_list,
    (ids.ACTOR, "value"): _is_str_list,
    (ids.DATE_FROM, "value"): _is_str,
    (ids.DATE_TO, "value"): _is_str,
    (ids.SEARCH, "value"): _is_str,
    (ids.TABLE_SEARCH, "value"): _is_str,
    (ids.CLEAR, "n_clicks"): _is_count,
    (ids.PREV, "n_clicks"): _is_count,
    (ids.NEXT, "n_clicks"): _is_count,
    (ids.TABLE_PREV, "n_clicks"): _is_count,
    (ids.TABLE_NEXT, "n_clicks"): _is_count,
    (ids.TABLE_SORT, "n_clicks"): _is_count,
    (ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"): _is_count,
    (ids.HTML_DOWNLOAD_BUTTON, "n_clicks"): _is_count,
    (ids.MAP, "clickData"): _is_dict,
    (ids.MONTHLY, "selectedData"): _is_dict,
    (ids.TIMELINE, "relayoutData"): _is_dict,
    (ids.TIMELINE, "clickData"): _is_dict,
    (ids.CLAIMS, "clickData"): _is_dict,
    (ids.TABLE_STATE, "data"): _is_dict,
    (ids.TIMELINE_DRAWN, "data"): _is_flag,
    (ids.CLAIMS_WANTED, "data"): _is_flag,
    (ids.TABLE_WANTED, "data"): _is_flag,
    (ids.TABLE_SHOWS, "data"): _is_key,
    (ids.OPENING, "data"): _is_key,
}


def _prop_id(component, prop: str) -> str:
    """Dash's name of an input ('url.search'; pattern ids as sorted JSON)."""
    from dash._utils import stringify_id

    return f"{stringify_id(component)}.{prop}"


def _check_items(given, specs: list[dict], what: str) -> list[dict]:
    """The inputs (or state) of a body against the callback's: same count, ids and props, known value types."""
    if not isinstance(given, list) or len(given) != len(specs):
        raise BadRequest(f"{what}: expected a list of {len(specs)}")
    items = []
    for item, spec in zip(given, specs):
        pattern = spec["id"].startswith("{")
        entries = item if pattern and isinstance(item, list) else [item]
        if pattern != isinstance(item, list):
            raise BadRequest(f"{what}: {spec['id']}.{spec['property']} has the wrong form")
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("property") != spec["property"]:
                raise BadRequest(f"{what}: {spec['id']}.{spec['property']} has the wrong form")
            component = entry.get("id")
            if pattern:
                wanted = json.loads(spec["id"])
                if not isinstance(component, dict) or component.get("type") != wanted.get("type") \
                        or set(component) != set(wanted) or not all(isinstance(v, (str, int)) for v in component.values()):
                    raise BadRequest(f"{what}: {spec['id']}.{spec['property']} has the wrong id")
                key = (component["type"], spec["property"])
            else:
                if component != spec["id"]:
                    raise BadRequest(f"{what}: expected {spec['id']}.{spec['property']}")
                key = (component, spec["property"])
            value = entry.get("value")
            check = VALUE_TYPES.get(key)
            if value not in (None, "") and check is not None and not check(value):
                raise BadRequest(f"{what}: {key[0]}.{key[1]} has a value of the wrong type")
            items.append(entry)
    return items


def _check_outputs(outputs, output: str) -> None:
    count = output.count("...") + 1 if output.startswith("..") else 1
    listed = outputs if output.startswith("..") else [outputs]
    if not isinstance(listed, list) or len(listed) != count:
        raise BadRequest(f"outputs: expected {count}")
    for item in listed:
        for entry in item if isinstance(item, list) else [item]:
            if not isinstance(entry, dict) or not isinstance(entry.get("property"), str) \
                    or not isinstance(entry.get("id"), (str, dict)):
                raise BadRequest("outputs: wrong form")


def check_callback_body(body, callback_map: dict) -> None:
    """Raise BadRequest unless ``body`` is a well-formed call of one of the registered callbacks."""
    if not isinstance(body, dict):
        raise BadRequest("a callback body is a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadRequest("no such callback")
    callback = callback_map[output]
    _check_outputs(body.get("outputs"), output)
    entries = _check_items(body.get("inputs"), callback["inputs"], "inputs")
    _check_items(body.get("state", []), callback.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    known = {_prop_id(e["id"], e["property"]) for e in entries}
    if not isinstance(changed, list) or not all(isinstance(c, str) and c in known for c in changed):
        raise BadRequest("changedPropIds: not among the inputs")


def install(app: Dash) -> None:
    """Limit request bodies and check callback bodies (call after every callback is registered)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    callback_path = app.config.requests_pathname_prefix + CALLBACK_PATH

    @server.before_request
    def _check_callback_request():
        if request.path != callback_path or request.method != "POST":
            return None
        try:  # parsed once here; Dash reads the same parsed body (Flask caches it)
            body = request.get_json()
        except RecursionError:  # nesting deeper than the JSON parser's recursion limit
            raise BadRequest("JSON nested too deeply") from None
        check_callback_body(body, app.callback_map)
        return None

    @server.errorhandler(DependencyException)
    def _unknown_script(_err):
        # a /_dash-component-suites/ path that no component registered: not found, not a server error
        return NotFound()
