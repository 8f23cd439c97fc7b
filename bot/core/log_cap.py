"""No log line carries an unbounded piece of untrusted input.

Posts, Slack payloads and request bodies reach log lines through messages and exception texts
(ours and our libraries': Bolt once logged a whole 300 MB unsigned body in one line). After
:func:`install`, every record the process logs is capped, whichever logger or handler writes
it: the message at :data:`MAX_MESSAGE_CHARS`, a formatted traceback at
:data:`MAX_TRACEBACK_CHARS` (head and tail kept: where it started and what was raised). What is
cut is counted in the line, so a reader knows it was cut and how much.

It works on the record class (through the record factory), not on a handler, so it holds for
handlers that a library or the operator adds later.
"""

from __future__ import annotations

import logging

MAX_MESSAGE_CHARS = 2_000
MAX_TRACEBACK_CHARS = 8_000


def cap(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters cut]"


def _cap_middle(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n… [{len(text) - 2 * half} characters cut] …\n{text[-half:]}"


class CappedLogRecord(logging.LogRecord):
    """A LogRecord whose message and traceback text are bounded (see the module docstring)."""

    def getMessage(self) -> str:
        return cap(super().getMessage())

    # Formatter.format stores the formatted traceback here; capping on assignment bounds it for
    # every formatter without replacing any of them.
    @property
    def exc_text(self) -> str | None:
        return self.__dict__.get("_capped_exc_text")

    @exc_text.setter
    def exc_text(self, value: str | None) -> None:
        self.__dict__["_capped_exc_text"] = None if value is None else _cap_middle(value, MAX_TRACEBACK_CHARS)


_installed = False


def install() -> None:
    """Cap every log record of this process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if type(record) is logging.LogRecord:  # another factory's own class is left as it is
            exc_text = record.__dict__.pop("exc_text", None)
            record.__class__ = CappedLogRecord
            record.exc_text = exc_text
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
