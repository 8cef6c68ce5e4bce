"""Make the README's screenshots from the real, running dashboard (headless Debian Chromium).

    python docs/make_screenshot.py

Writes docs/dashboard.png (a laptop, 1280 px wide, an event chosen), docs/phone.png (the first
screen of a phone, 390 px wide) and docs/story.png (a slide of story mode: the treaty's signing). Needs Debian's chromium and chromedriver, and selenium (in the
test extra: pip install -e '.[test]').
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

DOCS = Path(__file__).resolve().parent
# (file, width, height, view): what each screenshot shows
SHOTS = [
    ("dashboard.png", 1280, 1500, "/?event=shoigu-kim-2025-06-17-deminers-builders"),
    ("phone.png", 390, 844, "/"),
    # (slide 4: the fourth key event in time order, the treaty's signing; slide 0 is the title slide)
    ("story.png", 1280, 1450, "/?story=4"),
]
# the page is ready when the timeline and the other charts are drawn and the captions placed
READY = """var plots = document.querySelectorAll('.js-plotly-plot'), timeline = document.querySelector('#timeline .js-plotly-plot');
return plots.length === 4 && Array.prototype.every.call(plots, function (g) { return !!g._fullLayout; }) &&
  !!document.querySelector('#timeline .scatterlayer .point') && !!window.dprkCaptions &&
  window.dprkCaptions.settled(timeline) === timeline.querySelectorAll('.annotation-text-g').length;"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(profile: str):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or sys.exit("needs Debian's chromium (apt-get install chromium)")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--disable-background-networking", "--enable-unsafe-swiftshader", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options)


def main() -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as profile:
            driver = browser(profile)
            try:
                for name, width, height, view in SHOTS:
                    # (a window narrower than 500 px is only reachable this way, not by --window-size)
                    driver.set_window_size(width, height)
                    driver.get(f"http://127.0.0.1:{port}{view}")
                    deadline = time.monotonic() + 60
                    while not driver.execute_script(READY) and time.monotonic() < deadline:
                        time.sleep(0.2)
                    time.sleep(1)  # let the last transition end
                    driver.save_screenshot(str(DOCS / name))
                    print(f"wrote {DOCS / name}")
            finally:
                driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
