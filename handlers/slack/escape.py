"""Make untrusted text (tweets, names, bios) inert in Slack mrkdwn.

Slack gives ``<…>`` a meaning: ``<!channel>`` pings everyone, ``<@U123>`` pings a person and
``<https://evil.example|yourbank.com>`` disguises a link. Escaping ``&``, ``<`` and ``>`` (the
three characters Slack documents as control characters) makes all of them plain text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def mrkdwn(text: str | None) -> str:
    """``text`` as literal mrkdwn: control characters escaped (``&`` first, so nothing is escaped twice)."""
    if not text:
        return ""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten *before* escaping, so an entity such as ``&amp;`` is never cut in half."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str | None, label: str) -> str:
    """A mrkdwn link to an http(s) URL with an escaped label; anything else becomes plain text."""
    label = mrkdwn(label)
    if not url:
        return label
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return label
    # "|" would end the URL part of <url|label>; the other three are Slack's control characters.
    safe = mrkdwn(url).replace("|", "%7C")
    return f"<{safe}|{label}>"


def user_mention(user_id: str | None, fallback: str) -> str:
    """``<@U…>`` for a real-looking Slack user id (from our config), else the escaped name."""
    if user_id and _USER_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    return mrkdwn(fallback)


_ESCAPED_LEN = {"&": 5, "<": 4, ">": 4, "\n": 3}  # "\n" becomes "\n> " in a quote


def quote(text: str, limit: int = 3000) -> str:
    """Escaped text as a mrkdwn block quote (every line prefixed with ``>``), at most ``limit`` characters.

    Escaping can make text five times longer (``&`` → ``&amp;``), and Slack rejects a section
    over 3000 characters, so the cut is made on the *escaped* length, between characters.
    """
    budget, used, end = limit - 3, 2, 0  # room for the leading "> " and a closing "…"
    for end, ch in enumerate(text):
        used += _ESCAPED_LEN.get(ch, 1)
        if used > budget:
            text = text[:end] + "…"
            break
    return "> " + mrkdwn(text).replace("\n", "\n> ")
