"""Issue 17, item 9: logs are not floodable. No untrusted payload reaches a log line unbounded."""

from __future__ import annotations

import io
import json
import logging
import time

import pytest

from bot.core import log_cap
from tests.test_slack import build_desk, wait_until


@pytest.fixture
def root_handler():
    """A plain handler on the root logger at DEBUG, as `serve -v` would have it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def longest_line(stream: io.StringIO) -> int:
    return max((len(line) for line in stream.getvalue().splitlines()), default=0)


def test_a_huge_message_and_a_huge_exception_text_are_capped(root_handler):
    log_cap.install()
    payload = "A" * 1_000_000
    logging.getLogger("some.library").warning("got %s", payload)
    try:
        raise ValueError(payload)
    except ValueError:
        logging.getLogger("another.library").exception("failed on %r", payload[:10])
    text = root_handler.getvalue()
    assert len(text) < 3 * (log_cap.MAX_MESSAGE_CHARS + log_cap.MAX_TRACEBACK_CHARS)
    assert "more characters cut]" in text and "characters cut] …" in text
    assert "got AAAA" in text and "ValueError" in text  # what happened is still there


def test_a_short_message_is_untouched(root_handler):
    log_cap.install()
    logging.getLogger("x").info("case %d claimed by %s", 7, "Ana")
    assert root_handler.getvalue() == "INFO x: case 7 claimed by Ana\n"


def test_slack_payloads_do_not_flood_the_log(config, database_url, root_handler):
    """Root at DEBUG: Bolt would log every payload; an unhandled signed request with a 900 kB
    action id is logged by Bolt as a warning naming it. Neither reaches the log unbounded."""
    desk, close = build_desk(config, database_url)
    try:
        huge = "q" * 900_000
        payload = {"type": "block_actions", "user": {"id": "U0ANA00001"}, "team": {"id": "T0"},
                   "actions": [{"action_id": huge, "block_id": "b", "value": "1", "action_ts": "1.0"}],
                   "trigger_id": "t", "container": {}, "channel": {"id": "C0BAGS0001"}}
        response = desk.interaction(payload)
        assert response.status_code == 404  # no listener for that action id: Bolt says so
        unsigned = desk.http.post("/slack/events", content=json.dumps({"pad": huge}).encode(),
                                  headers={"Content-Type": "application/json"})
        assert unsigned.status_code == 401
        time.sleep(0.2)
        wait_until(lambda: "Unhandled request" in root_handler.getvalue(), what="Bolt's warning")
        assert longest_line(root_handler) <= log_cap.MAX_MESSAGE_CHARS + 200
        assert logging.getLogger("slack_bolt").getEffectiveLevel() == logging.WARNING
    finally:
        close()
