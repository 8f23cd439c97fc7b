"""Discord adapter latency: mention ingested → card accepted by Discord, and button press →
interaction callback (Discord wants one within 3 s).

discord.py runs as in ``mentiondesk serve`` (its own loop and thread, the card poster, the
action listeners); the local fake Discord API of the tests answers on 127.0.0.1 in a thread of
this same process (so the figures are pessimistic: the fake competes for the interpreter), on a
SQLite file (default) or ``--database-url``. Presses are fed to discord.py's gateway parser
(``INTERACTION_CREATE``) as the gateway would.

* ingest → card: one mention at a time; the time until the fake receives the card message.
* callback: ``--presses`` people press Claim on the same card at the same moment, ``--rounds``
  times; the time from the dispatch to the fake receiving each interaction's callback.

Prints a table, then ONE JSON line with ``ingest_to_card_p50_ms``, ``ingest_to_card_p95_ms``,
``callback_p50_ms``, ``callback_p99_ms``, ``callback_max_ms``.

    .venv/bin/python bench/discord_latency.py [--n 100] [--presses 50] [--rounds 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.config import Agent as AgentSpec, load_config  # noqa: E402
from bot.core.mention import parse_mention  # noqa: E402
from bot.app.runtime import Runtime  # noqa: E402
from handlers.discord import ids  # noqa: E402
from tests.discord_helpers import BAGS_D, DiscordDesk, discord_config, start_adapter, start_fake, wait_until  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    config = discord_config(load_config(ROOT / "bot" / "samples" / "config.example.yaml"))
    crowd = [AgentSpec(name=f"Agent {i:03d}", role="agent", teams=["baggage"], discord_user_id=f"{320000000000000000 + i}")
             for i in range(args.presses)]
    config = config.model_copy(update={"agents": [*config.agents, *crowd]})
    tmp = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    runtime = Runtime.build(config, database=url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    desk = DiscordDesk(runtime, fake, server, adapter)
    try:
        to_card = []
        cards = []
        for i in range(args.n):
            seen = len(fake.calls_of("message"))
            started = time.perf_counter()
            outcome = runtime.ingest_batch([parse_mention({
                "platform": "x", "id": f"b{i}", "text": f"@SkylarkAir my bag never arrived in Madrid ({i}), please help",
                "author": {"handle": f"traveller{i}", "followers": 100}})])[0]
            call = wait_until(lambda: len(fake.calls_of("message")) > seen and fake.calls_of("message")[seen],
                              what="card")
            to_card.append((call.at - started) * 1000)
            cards.append((outcome.case_id, desk.card(BAGS_D, outcome.case_id)))

        callbacks = []
        for r in range(args.rounds):
            case_id, card = cards[r]
            go = threading.Barrier(args.presses)
            payloads: list[tuple[dict, float]] = []
            lock = threading.Lock()

            def press(user: str) -> None:
                go.wait()
                started = time.perf_counter()
                payload = desk.press(ids.card("claim", case_id), user, card)
                with lock:
                    payloads.append((payload, started))

            threads = [threading.Thread(target=press, args=(a.discord_user_id,)) for a in crowd]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for payload, started in payloads:
                desk.callback(payload, timeout=30)
                callbacks.append((desk.callback_call(payload).at - started) * 1000)
            assert len(desk.events(case_id, "claimed")) == 1
            wait_until(lambda: len(desk.events(case_id, "refused")) == args.presses - 1, 30, "refusals recorded")
    finally:
        adapter.stop()
        server.__exit__()
        runtime.close()

    result = {"ingest_to_card_p50_ms": round(pct(to_card, 50), 1), "ingest_to_card_p95_ms": round(pct(to_card, 95), 1),
              "callback_p50_ms": round(pct(callbacks, 50), 1), "callback_p99_ms": round(pct(callbacks, 99), 1),
              "callback_max_ms": round(max(callbacks), 1)}
    print(f"{'measure':<28}{'value':>10}")
    for key, value in result.items():
        print(f"{key:<28}{value:>10}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
