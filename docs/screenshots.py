"""The README's pictures, rendered from the demo: a Slack card and the supervisor dashboard.

    .venv/bin/python docs/screenshots.py [--out docs] [--weeks 4] [--seed 7]

Builds the demo desk (``bot/app/demo_history.py``: weeks of simulated work, then today's sample
feed) in a throw-away SQLite file, renders the top open case's Slack card (our Block Kit through
``docs/blockkit_html.py``) and serves the web console on 127.0.0.1 to screenshot the dashboard
as a supervisor, both in headless Debian Chromium (``/usr/bin/chromium``, ``apt-get install
chromium``; ``fonts-noto-color-emoji`` for the card's emoji) driven by Playwright, which never
downloads a browser of its own. Nothing leaves the machine: the browser runs without background
networking, sync or component updates, and only loads the page it is given and 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, also when run as a plain script
sys.path.insert(0, str(ROOT / "docs"))

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PASSWORD = "screenshots only 1"


def build_desk(db: Path, weeks: int, seed: int):
    from bot.core.config import load_config
    from bot.app.demo_history import build_demo_desk, shift_to_now
    from bot.feeds.file_replay import BadLine, replay_file
    from bot.app.runtime import Runtime
    from escalation.map import load_escalation_map

    config = load_config(resources.files("bot.samples").joinpath("config.example.yaml"))
    runtime = Runtime.build(config, database=f"sqlite:///{db}")
    sample = resources.files("escalation.samples").joinpath("escalation.example.yaml")
    runtime.settings = replace(runtime.settings, escalation_path=str(sample))  # SLA lines on the charts
    feed = [m for m in replay_file(Path(str(resources.files("bot.samples").joinpath("demo_feed.jsonl"))))
            if not isinstance(m, BadLine)]
    now = datetime.now(timezone.utc)
    summary = build_demo_desk(runtime, shift_to_now(feed, now), now=now, weeks=weeks, seed=seed,
                              escalation_map=load_escalation_map(None, config))
    print(f"demo desk: {summary.posts} posts, {summary.cases} cases, {summary.actions} agent actions")
    return runtime


def card_page(runtime) -> str:
    """The Slack card of the most urgent unclaimed case that routing has a suggestion for."""
    from sqlalchemy import select

    from blockkit_html import message_page
    from bot.desk.case_view import load_card
    from bot.desk.cases import open_queue
    from handlers.slack.cards import render_card
    from storage.models import Agent, CaseState

    with runtime.sessions() as session:
        cases = open_queue(session, limit=200)
        chosen = next((c for c in cases if c.state == CaseState.OPEN and (c.routing or {}).get("agent")), cases[0])
        blocks = render_card(load_card(session, chosen.id))
        names = {a.slack_user_id: a.name for a in session.scalars(select(Agent)) if a.slack_user_id}
        team = next((t for t in runtime.config.teams if t.name == chosen.team), runtime.config.teams[0])
    return message_page(blocks, channel=f"{team.name}-social", app_name="mentiondesk",
                        time=chosen.opened_at.strftime("%H:%M"), user_name=lambda uid: names.get(uid, uid))


class Console:
    """The web console on a free loopback port, in a thread."""

    def __init__(self, runtime):
        import socket

        import uvicorn

        from bot.app.server import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the console did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    from bot.desk.accounts import set_password

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = build_desk(Path(tmp) / "desk.db", args.weeks, args.seed)
        with runtime.sessions() as session, session.begin():
            set_password(session, "Farah Haddad", PASSWORD)
        page_html = card_page(runtime)
        with Console(runtime) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                card = browser.new_page(viewport={"width": 760, "height": 400}, device_scale_factor=2)
                card.set_content(page_html)
                card.screenshot(path=str(args.out / "slack-card.png"), full_page=True)
                dash = browser.new_page(viewport={"width": 1400, "height": 900})
                dash.goto(f"{base}/console/login")
                dash.get_by_label("Name").fill("Farah Haddad")
                dash.get_by_label("Password").fill(PASSWORD)
                dash.get_by_role("button", name="Log in").click()
                dash.goto(f"{base}/console/dashboard?days=30")
                dash.wait_for_selector("svg.chart")
                dash.screenshot(path=str(args.out / "dashboard.png"), full_page=True)
            finally:
                browser.close()
        runtime.close()
    for name in ("slack-card.png", "dashboard.png"):
        print(f"wrote {args.out / name} ({(args.out / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
