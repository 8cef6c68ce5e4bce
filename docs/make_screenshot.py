"""Make docs/dashboard.png from the real, running dashboard (headless Debian Chromium).

    python docs/make_screenshot.py           # docs/dashboard.png
    python docs/make_screenshot.py --story   # docs/story.png: a slide of story mode (the treaty's signing)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

OUT = Path(__file__).resolve().parent / "dashboard.png"
VIEW = "/?event=shoigu-kim-2025-06-17-deminers-builders"
# (slide 4: the fourth key event in time order, the treaty's signing; slide 0 is the title slide)
STORY_OUT, STORY_VIEW, STORY_SIZE = OUT.with_name("story.png"), "/?story=4", "1280,1000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    story = "--story" in sys.argv[1:]
    out, view, size = (STORY_OUT, STORY_VIEW, STORY_SIZE) if story else (OUT, VIEW, "1280,1500")
    chromium = shutil.which("chromium") or sys.exit("needs Debian's chromium (apt-get install chromium)")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
                            f"--screenshot={out}", f"--window-size={size}", "--virtual-time-budget=15000",
                            f"http://127.0.0.1:{port}{view}"], check=True, capture_output=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
