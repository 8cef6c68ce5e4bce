"""Archived copies of sources, as lookup links: the Wayback Machine's capture nearest a source's date.

The link is built from the URL and the date alone; nothing here checks that a capture exists or
matches what the source said, so it is always labelled as a lookup, never as a verified archive.
"""

from __future__ import annotations

from urllib.parse import quote

from .cells import is_http_url
from .dates import PARTIAL_RE

LABEL = "archived copy (lookup)"
HINT = ("Looks up the Internet Archive's Wayback Machine for a capture of this page near its date; "
        "a lookup, not a verified archive (there may be no capture, or a later version of the page)")
_WAYBACK = "https://web.archive.org/web/"
# characters a URL may hold as they are; anything else (spaces, quotes, '<', '>', non-ASCII) is percent-encoded
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def archive_lookup_url(url: str, date: str = "") -> str | None:
    """The Wayback Machine URL for ``url`` near ``date`` (YYYY-MM-DD, YYYY-MM or YYYY), None unless http(s).

    With a date, web/YYYYMMDD/URL redirects to the capture nearest that day (a month or a year picks its
    start); without one, web/*/URL lists every capture of the page.
    """
    if not is_http_url(url):
        return None
    stamp = date.replace("-", "") if PARTIAL_RE.fullmatch(date or "") else "*"
    return f"{_WAYBACK}{stamp}/{quote(url, safe=_URL_SAFE)}"
