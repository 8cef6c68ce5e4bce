"""WSGI entry point for several users: gunicorn --workers 3 dashboard.wsgi:server

Set DPRK_TIMELINE_EVENTS to serve another events CSV than the bundled one.
"""

import os
from pathlib import Path

from .app import create_app

_events = os.environ.get("DPRK_TIMELINE_EVENTS")
app = create_app(csv_path=Path(_events) if _events else None)
server = app.server
