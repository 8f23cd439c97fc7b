"""Logging for every command: one handler on the root logger, text lines or JSON lines.

INFO is what an operator needs: start-up, leadership, cards posted, replies sent, refusals and
errors. Libraries whose INFO is routine chatter are held back (``--verbose`` shows everything): APScheduler logs "Running job" and
"executed successfully" for every timer run (several every few seconds), and Alembic logs its
context and plugin set-up at every start (a migration that really runs is still logged).
``--log-format json`` writes one JSON object per line for log shippers (Loki, Elastic, Datadog):
``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and ``exception`` when there is one.
Secrets never reach a log: settings hold them as ``SecretStr`` and ``bot/feeds/xapi.py`` keeps the
OAuth libraries, which log tokens at DEBUG, at INFO.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import TextIO

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Held at WARNING unless --verbose: APScheduler's per-run lines (its warnings and errors still show),
# Alembic's plugin set-up, and uvicorn's line per HTTP request (the console refreshes every 3 s).
QUIET_LOGGERS = ("apscheduler.executors", "apscheduler.scheduler", "alembic.runtime.plugins", "uvicorn.access")
# Alembic's migration logger says which migrations run (useful) and, at every start, two
# lines about its database context (not useful).
ALEMBIC_CHATTER = ("Context impl ", "Will assume ")


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _not_alembic_chatter(record: logging.LogRecord) -> bool:
    return not (record.name == "alembic.runtime.migration" and str(record.msg).startswith(ALEMBIC_CHATTER))


def configure_logging(level: int = logging.WARNING, log_format: str = "text", stream: TextIO | None = None) -> None:
    """Log at ``level`` through one handler writing ``log_format`` lines to ``stream`` (stderr).

    Calling it again replaces the handler it installed. When someone else already put handlers
    on the root logger (a test runner, an application embedding us) and no ``stream`` is given,
    only the levels are set: they decide where the lines go."""
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}; use {' or '.join(FORMATS)}")
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "installed_by_mentiondesk", False)]
    for old in ours:
        root.removeHandler(old)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING if level > logging.DEBUG else logging.NOTSET)
    if root.handlers and stream is None:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.installed_by_mentiondesk = True
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_not_alembic_chatter)
    root.addHandler(handler)
