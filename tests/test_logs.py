"""Logs an operator can read: routine library chatter held back, JSON lines on request."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.logs import configure_logging
from storage.db import make_engine, upgrade_engine

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    for name in ("apscheduler.executors", "apscheduler.scheduler", "alembic.runtime.plugins", "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    root.setLevel(level)


def test_info_keeps_our_lines_and_drops_scheduler_and_alembic_chatter(tmp_path, restore_logging):
    out = io.StringIO()
    configure_logging(logging.INFO, "text", stream=out)
    scheduler = BackgroundScheduler()
    runs = []
    scheduler.add_job(lambda: runs.append(1), "interval", seconds=0.05, id="tick")
    scheduler.start()
    try:
        deadline = time.monotonic() + 5
        while len(runs) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        scheduler.shutdown()
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    upgrade_engine(engine)
    engine.dispose()
    logging.getLogger("bot.app.server").info("listening on 127.0.0.1:8080")
    text = out.getvalue()
    assert len(runs) >= 3
    assert "Running job" not in text and "executed successfully" not in text
    assert "Context impl" not in text and "Will assume" not in text and "setup plugin" not in text
    assert "Running upgrade" in text  # a migration that really runs is still said
    assert "bot.app.server: listening on 127.0.0.1:8080" in text


def test_json_lines_carry_time_level_logger_message_and_exception(restore_logging):
    out = io.StringIO()
    configure_logging(logging.INFO, "json", stream=out)
    log = logging.getLogger("bot.relay")
    log.info("reply %d sent", 7)
    try:
        raise RuntimeError("X answered 503")
    except RuntimeError:
        log.exception("send failed")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["level"] == "INFO" and first["logger"] == "bot.relay" and first["message"] == "reply 7 sent"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "RuntimeError: X answered 503" in second["exception"]
    with pytest.raises(ValueError, match="unknown log format 'xml'"):
        configure_logging(logging.INFO, "xml")


def test_the_command_line_logs_json_with_log_format(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MENTIONDESK_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "bot.app.cli.main", "--log-format", "json", "-v", "db", "upgrade",
                           "--database-url", f"sqlite:///{tmp_path / 'j.db'}"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["logger"] == "alembic.runtime.migration" for line in lines)
