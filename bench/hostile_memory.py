"""Does the server keep anything from hostile requests? Replays the request corpus in one process.

    python bench/hostile_memory.py [--passes 30]

Each pass sends every request of tests/requests/ (malformed, oversized and costly bodies) to the
dashboard through Flask's test client, in this process, and prints its resident memory after
passes 1, 2, 5, 10, 20 and the last. Under gunicorn the workers' memory also rises while their
figure caches fill (they are bounded); here the caches play no part, so memory that keeps rising
from pass to pass would be something kept from the requests themselves.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402  (this folder's load test builds the corpus's requests)


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def main(argv: list[str] | None = None) -> list[tuple[int, float]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=30)
    args = parser.parse_args(argv)
    from dashboard.app.app import create_app

    client = create_app().server.test_client()
    client.get("/")
    requests = loadtest.hostile_requests(client.get("/_dash-dependencies").get_json())
    print(f"{len(requests)} requests per pass; memory at the start {rss_mb():.0f} MB")
    samples = []
    for n in range(1, args.passes + 1):
        for r in requests:
            client.open(r["path"], method=r["method"], data=r["body"], content_type=r["content_type"])
        if n in (1, 2, 5, 10, 20) or n == args.passes:
            gc.collect()
            samples.append((n, rss_mb()))
            print(f"after pass {n}: {samples[-1][1]:.0f} MB")
    return samples


if __name__ == "__main__":
    main()
