"""File replay source: a JSONL file, one mention JSON object per line.

Bad lines do not stop the replay: each is reported with its line number and skipped, so a
file with one broken line still delivers the rest (and the report says exactly what broke).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.mention import Mention, MentionError, parse_mention_json


@dataclass(frozen=True)
class BadLine:
    line_no: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.problem}"


def count_lines(path: str | Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def replay_file(path: str | Path, *, max_text_chars: int = 10_000) -> Iterator[Mention | BadLine]:
    """Yield each line's mention, or a :class:`BadLine` naming what is wrong with it."""
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield parse_mention_json(raw, max_text_chars=max_text_chars)
            except MentionError as exc:
                yield BadLine(line_no, str(exc))
