"""Decoding untrusted mention JSON so that what validates can also be stored, on every database.

Some values pass JSON decoding and schema validation and only fail at the INSERT, after the
batch was accepted (a 500 with a traceback): PostgreSQL refuses NUL characters in text,
unpaired UTF-16 surrogates (``"\\ud800"``) cannot be encoded as UTF-8, ``NaN``/``Infinity`` are
not JSON (PostgreSQL's json type refuses them; ``1e999`` decodes to infinity), Python refuses
to convert integers of more than 4,300 digits, and the decoder gives up after ~1,000 levels of
nesting. Here they are found before anything is stored, each named by its path in the mention
(``author.name``, ``entities.urls[2]``), so the sender is told which field to fix.

The rule is **refuse, never repair**: a NUL is not stripped and a number is not clamped, so
what is stored (the raw payload included) is exactly what was sent, and a sender with a bug
hears about it instead of having its data changed silently.

Guarantees of :func:`loads` + :func:`problems`: every value :func:`problems` finds nothing in
is made of finite floats, integers of at most :data:`MAX_INT_DIGITS` digits, UTF-8-encodable
strings without NUL, nested at most :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: Deeper than any real post's payload (X's entity lists are 4 levels deep).
MAX_DEPTH = 32
#: Ids sent as numbers are at most 20 digits; nothing in a mention needs more than this.
MAX_INT_DIGITS = 64


class Unreadable:
    """A JSON number the decoder could read but nothing downstream can store (kept with why)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unreadable({self.reason!r})"


class TooDeep(ValueError):
    """The body nests deeper than the decoder can follow; ``where`` is the path it reached."""

    def __init__(self, where: str):
        self.where = where
        super().__init__(f"{where}: nested deeper than {MAX_DEPTH} levels" if where
                         else f"nested deeper than {MAX_DEPTH} levels")


def _int(text: str) -> int | Unreadable:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return Unreadable(f"a number of {digits} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float | Unreadable:
    value = float(text)
    if not math.isfinite(value):
        return Unreadable(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is too large")
    return value


def _constant(name: str) -> Unreadable:
    return Unreadable(f"{name} is not a JSON number")


def loads(data: str | bytes) -> Any:
    """``json.loads`` that keeps unstorable numbers as :class:`Unreadable` (for :func:`problems`
    to name) and turns running out of depth into :class:`TooDeep` naming where.

    Syntax errors still raise :class:`json.JSONDecodeError` (a ``ValueError``), bytes that are
    not UTF-8 :class:`UnicodeDecodeError`.
    """
    try:
        return json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        raise TooDeep(_path_at_depth(text, MAX_DEPTH)) from None


def problems(value: Any, *, max_depth: int = MAX_DEPTH) -> list[str]:
    """Every unstorable value in ``value`` as ``"path: why"`` (empty: it can be stored as is).

    Iterative, so a deep value cannot exhaust the interpreter's stack here either.
    """
    found: list[str] = []
    stack: list[tuple[str, Any, int]] = [("", value, 1)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            if why := _string_problem(item):
                found.append(f"{path or '(value)'}: {why}")
        elif isinstance(item, Unreadable):
            found.append(f"{path or '(value)'}: {item.reason}")
        elif isinstance(item, float) and not math.isfinite(item):
            found.append(f"{path or '(value)'}: {item} is not a JSON number")
        elif isinstance(item, dict | list):
            if depth > max_depth:
                found.append(f"{path or '(value)'}: nested deeper than {max_depth} levels")
                continue
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in reversed(list(children)):
                if isinstance(key, str) and (why := _string_problem(key)):
                    found.append(f"{_join(path, ascii(key)[1:-1][:40])}: the field name {why}")
                    continue
                stack.append((_join(path, key), child, depth + 1))
    return found


def _string_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains an unpaired surrogate (\\u{ord(text[exc.start]):04x}), which is not valid Unicode"
    return None


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


# Strings (with escapes), brackets and separators: all that matters for finding a depth.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]', re.DOTALL)


def _path_at_depth(text: str, limit: int) -> str:
    """The path (``[3] extra[0][0]…``) at which ``text`` first nests deeper than ``limit``.

    Only called when decoding already failed for depth, so its cost (one pass over the
    brackets) is paid by the sender of such a body alone.
    """
    path: list[Any] = []  # per open container: its current key (object) or index (list)
    containers: list[str] = []
    last_string: str | None = None
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            if len(containers) >= limit:
                return _render(path)
            containers.append(token)
            path.append(0 if token == "[" else None)
        elif token in "]}":
            if containers:
                containers.pop()
                path.pop()
        elif token == ",":
            if containers and containers[-1] == "[":
                path[-1] += 1
        elif token == ":":
            if containers and containers[-1] == "{" and last_string is not None:
                path[-1] = last_string
        else:
            last_string = token[1:-1][:40]
    return _render(path)


def _render(path: list[Any]) -> str:
    shown = path[:6]
    parts = []
    for key in shown:
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key if key is not None else '?'}")
    text = "".join(parts).lstrip(".")
    return text + ("…" if len(path) > len(shown) else "")
