"""Routing cost: the bundled demo feed through ingest with and without the routing chain.

Ingests ``bot/samples/demo_feed.jsonl`` (each mention as of its own ``created_at``) into a fresh
SQLite file twice: once with the example config, once with a ``routing:`` section (the one the
tests use: shifts, caps, overflow, VIP, crisis), and times every routing decision. Also times
``mentiondesk replay`` of the same feed (the dry run). Prints a table, then ONE JSON line with
``ingest_plain_per_s``, ``ingest_routed_per_s``, ``route_p50_ms``, ``route_p95_ms``, ``replay_s``.

    .venv/bin/python bench/routing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.config import load_config  # noqa: E402
from bot.feeds.file_replay import BadLine, replay_file  # noqa: E402
from bot.app.replay import dry_run  # noqa: E402
from bot.app.runtime import Runtime  # noqa: E402
from tests.routing_fixtures import routing_config  # noqa: E402

FEED = ROOT / "bot" / "samples" / "demo_feed.jsonl"


def ingest(config, mentions, folder: Path, name: str) -> tuple[float, list[float]]:
    runtime = Runtime.build(config, database=f"sqlite:///{folder / name}")
    timings: list[float] = []
    openers = runtime.ingest.case_openers
    for i, opener in enumerate(openers):
        if getattr(opener, "__name__", "") == "route_case":
            def timed(session, case, _inner=opener):
                start = time.perf_counter()
                result = _inner(session, case)
                timings.append((time.perf_counter() - start) * 1000)
                return result
            openers[i] = timed
    start = time.perf_counter()
    for m in mentions:
        runtime.ingest_batch([m], now=m.created_at)
    elapsed = time.perf_counter() - start
    runtime.close()
    return elapsed, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    mentions = sorted((m for m in replay_file(FEED) if not isinstance(m, BadLine)), key=lambda m: m.created_at)
    plain, routed, route_ms, replay = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            p, _ = ingest(load_config(), mentions, Path(folder), "plain.db")
            r, t = ingest(routing_config(), mentions, Path(folder), "routed.db")
        plain.append(p)
        routed.append(r)
        route_ms += t
        start = time.perf_counter()
        dry_run(routing_config(), mentions)
        replay.append(time.perf_counter() - start)
    n = len(mentions)
    route_ms.sort()
    result = {
        "mentions": n, "routed_cases": len(route_ms) // args.repeat,
        "ingest_plain_per_s": round(n / min(plain), 1), "ingest_routed_per_s": round(n / min(routed), 1),
        "route_p50_ms": round(statistics.median(route_ms), 2),
        "route_p95_ms": round(route_ms[int(0.95 * (len(route_ms) - 1))], 2),
        "replay_s": round(min(replay), 2),
    }
    print(f"{'mentions (one per transaction)':40} {n}")
    print(f"{'cases routed':40} {result['routed_cases']}")
    print(f"{'ingest without routing':40} {result['ingest_plain_per_s']} mentions/s")
    print(f"{'ingest with routing':40} {result['ingest_routed_per_s']} mentions/s")
    print(f"{'one routing decision p50 / p95':40} {result['route_p50_ms']} / {result['route_p95_ms']} ms")
    print(f"{'dry run of the feed (replay)':40} {result['replay_s']} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
