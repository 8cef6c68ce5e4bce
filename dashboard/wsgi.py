"""WSGI entry point for several users: gunicorn --workers 3 dashboard.wsgi:server

Set DPRK_TIMELINE_EVENTS to serve another events CSV than the bundled one.
"""

import os
import sys
from pathlib import Path

from .app.app import create_app
from .data.problems import EventsError, UnreadableFile, error_lines

# gunicorn's exit code for "the application could not be loaded": its master then stops instead of
# starting new workers that would fail the same way, over and over
APP_LOAD_ERROR = 4

_events = os.environ.get("DPRK_TIMELINE_EVENTS")
try:
    app = create_app(csv_path=Path(_events) if _events else None)
except (UnreadableFile, EventsError) as err:
    # the same located messages as 'dprk-timeline serve', not a traceback
    print(*error_lines(err), sep="\n", file=sys.stderr)
    raise SystemExit(APP_LOAD_ERROR) from None
server = app.server
