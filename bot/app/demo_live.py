"""``mentiondesk demo --serve``: the web console with the sample feed playing into it live."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone

from bot.desk.accounts import set_password
from bot.core.mention import Mention
from storage.models import Agent


def demo_password(runtime) -> tuple[str, list[tuple[str, str]]]:
    """One random password for every configured agent (printed once; a demo, not production)."""
    password = secrets.token_urlsafe(9)
    with runtime.sessions() as session, session.begin():
        people = [(a.name, a.role.value) for a in session.query(Agent).filter(Agent.active.is_(True)).order_by(Agent.name)]
        for name, _ in people:
            set_password(session, name, password)
    return password, people


def play(runtime, mentions: Sequence[Mention], pace: float, stop: threading.Event,
         on_progress: Callable[[int], None] | None = None) -> None:
    """Ingest the posts one by one, ``pace`` seconds apart, each dated the moment it is played, so
    the console's waiting times and the post's own time agree."""
    for done, mention in enumerate(mentions, 1):
        if stop.wait(pace):
            return
        now = datetime.now(timezone.utc)
        runtime.ingest_batch([replace(mention, created_at=now)], now=now)
        if on_progress:
            on_progress(done)


def serve_live(runtime, mentions: Sequence[Mention], *, host: str, port: int, pace: float,
               announce: Callable[[str], None]) -> None:
    import uvicorn

    from bot.app.server import create_app

    password, people = demo_password(runtime)
    if runtime.settings.escalation_path is None:
        # The sample escalation map gives the demo its SLA timers and the dashboard its SLA lines.
        from dataclasses import replace
        from importlib import resources

        sample = resources.files("escalation.samples").joinpath("escalation.example.yaml")
        runtime.settings = replace(runtime.settings, escalation_path=str(sample))
    app = create_app(runtime)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    stop = threading.Event()
    feeder = threading.Thread(target=play, args=(runtime, mentions, pace, stop), daemon=True, name="demo-feed")

    def start_feed_when_up() -> None:
        while not server.started and not stop.is_set():
            time.sleep(0.05)
        announce(f"Open http://{host}:{port}/console/ and log in as one of: "
                 + ", ".join(f"{name} ({role})" for name, role in people)
                 + f" — password for this demo: {password}")
        announce(f"Playing {len(mentions)} posts into it, one every {pace:g} s. Ctrl-C stops.")
        feeder.start()

    threading.Thread(target=start_feed_when_up, daemon=True).start()
    try:
        server.run()
    finally:
        stop.set()
