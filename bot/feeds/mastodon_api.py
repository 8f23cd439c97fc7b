"""Mastodon through Mastodon.py: the client the stream and the relay share, and status → Mention.

* **One instance, one brand account.** ``MENTIONDESK_MASTODON_BASE_URL`` (or ``mastodon.base_url``
  in the config) names the instance; ``MENTIONDESK_MASTODON_ACCESS_TOKEN`` (environment only)
  acts as the brand's account there.
* **Rate limits are ours to honour.** The client is built with ``ratelimit_method="throw"``:
  Mastodon.py's default ("wait") would sleep inside a stream thread or a relay send for up to
  five minutes. It still reads ``X-RateLimit-Remaining``/``-Reset`` from every answer, and
  :func:`rate_limited_until` turns them into "do not ask before then", which the feed and the
  relay respect *before* calling, not only after a 429.
* **Quiet logs.** Mastodon.py never logs; ``debug_requests`` (which prints headers, token
  included) stays off.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any

import requests
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonError

from bot.core.mention import Mention

PLATFORM = "mastodon"
USER_AGENT = "mentiondesk"
DEFAULT_MAX_CHARACTERS = 500  # Mastodon's default; the instance's own figure wins (see instance_limits)
URL_CHARACTERS = 23  # what Mastodon counts for any link, whatever its length


class MastodonConfigError(ValueError):
    """Mastodon is not configured well enough for what was asked (names the missing setting)."""


def make_client(base_url: str | None, access_token: str | None, *, timeout: float = 15.0,
                session: requests.Session | None = None) -> Mastodon:
    if not base_url:
        raise MastodonConfigError("Mastodon needs the instance's address: set MENTIONDESK_MASTODON_BASE_URL "
                                  "(or mastodon.base_url in the config), e.g. https://mastodon.social")
    if not base_url.startswith(("http://", "https://")):
        raise MastodonConfigError(f"the Mastodon base URL {base_url!r} is not an http(s) URL")
    if not access_token:
        raise MastodonConfigError("Mastodon needs the brand account's access token: set "
                                  "MENTIONDESK_MASTODON_ACCESS_TOKEN (environment only, never the YAML)")
    # version_check_mode "none": no version probe at start-up; the endpoints used exist since 3.5.
    return Mastodon(access_token=access_token, api_base_url=base_url.rstrip("/"), ratelimit_method="throw",
                    request_timeout=timeout, version_check_mode="none", user_agent=USER_AGENT, session=session)


def rate_limited_until(client: Mastodon) -> datetime | None:
    """When the instance's rate-limit window reopens, if the last answer said it is used up."""
    reset = getattr(client, "ratelimit_reset", None)
    if reset is None or reset <= time.time():
        return None
    if getattr(client, "ratelimit_remaining", 1) > 0:
        return None
    return datetime.fromtimestamp(reset, tz=timezone.utc)


def reset_after_429(client: Mastodon) -> datetime | None:
    reset = getattr(client, "ratelimit_reset", None)
    return datetime.fromtimestamp(reset, tz=timezone.utc) if reset and reset > time.time() else None


def error_text(exc: Exception) -> str:
    """A short, secret-free description of a Mastodon error for the agent and the status table."""
    if isinstance(exc, MastodonAPIError) and len(exc.args) >= 4:
        return f"Mastodon answered {exc.args[1]}: {exc.args[3] or exc.args[2]}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def status_code(exc: MastodonError) -> int | None:
    return exc.args[1] if isinstance(exc, MastodonAPIError) and len(exc.args) >= 2 and isinstance(exc.args[1], int) \
        else None


# --- text ----------------------------------------------------------------------------------------

class _Text(HTMLParser):
    """Mastodon status HTML as the plain text its author typed: <p> and <br> become line breaks,
    links keep their full address (the ``invisible`` spans hold its hidden parts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip()


def status_length(text: str, *, url_characters: int = URL_CHARACTERS) -> int:
    """The length Mastodon checks against ``max_characters``: a link counts ``url_characters``,
    a mention ``@user@domain`` counts as ``@user``."""
    text = re.sub(r"https?://\S+", "x" * url_characters, text)
    return len(re.sub(r"(@\w+)@[\w.-]+\w", r"\1", text))


# --- status → Mention ----------------------------------------------------------------------------

def field_of(obj: Any, key: str, default: Any = None) -> Any:
    """``obj[key]`` of a Mastodon.py result or plain dict, ``default`` when absent or null."""
    try:
        value = obj[key]
    except (KeyError, TypeError, IndexError):
        return default
    return default if value is None else value


def plain(obj: Any) -> Any:
    """Mastodon.py's typed results (AttribAccessDict, datetimes) as plain JSON for the raw column."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items() if v is not None}  # Mastodon.py fills absent keys with None
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, datetime):
        return obj.astimezone(timezone.utc).isoformat()
    return obj


def status_to_mention(status: Any, *, direct: bool = False) -> Mention:
    """One Mastodon status as a Mention; raises ValueError naming what is missing."""
    status_id = field_of(status, "id")
    account = field_of(status, "account")
    if status_id is None or not isinstance(account, dict) or not field_of(account, "acct"):
        raise ValueError("not a status: it needs an id and an account with an acct")
    text = html_to_text(str(field_of(status, "content", "")))
    warning = str(field_of(status, "spoiler_text", "")).strip()
    if warning:  # a content warning is part of what the customer says (and often the gist)
        text = f"CW: {warning}\n{text}"
    if not text:
        raise ValueError(f"status {status_id} has no text")
    created = field_of(status, "created_at")
    if isinstance(created, str):
        created = datetime.fromisoformat(created.replace("Z", "+00:00"))
    created = created if isinstance(created, datetime) else datetime.now(timezone.utc)
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    in_reply_to = field_of(status, "in_reply_to_id")
    visibility = str(field_of(status, "visibility", "public"))
    raw = {"platform": PLATFORM, "status": plain(status)}
    return Mention(
        platform=PLATFORM, external_id=str(status_id), text=text, created_at=created.astimezone(timezone.utc),
        author_handle=str(account["acct"]), author_id=str(field_of(account, "id")) if field_of(account, "id") else None,
        author_name=field_of(account, "display_name") or None,
        author_followers=int(field_of(account, "followers_count", 0) or 0), author_verified=False,
        url=field_of(status, "url") or field_of(status, "uri"),
        # Mastodon statuses carry no conversation id: a reply belongs to the thread of the post it
        # answers (ingest joins it to that post's open case), a top-level post starts its own.
        conversation_id=str(in_reply_to) if in_reply_to else str(status_id),
        in_reply_to_id=str(in_reply_to) if in_reply_to else None,
        lang=field_of(status, "language"),
        # A direct message to the brand, or a mention notification, is addressed to us by definition.
        direct=direct or visibility == "direct", raw=raw,
    )


def instance_limits(client: Mastodon) -> tuple[int, int]:
    """``(max_characters, characters_reserved_per_url)`` from ``/api/v2/instance``."""
    doc = client.instance_v2()
    statuses = field_of(field_of(doc, "configuration", {}), "statuses", {})
    return (int(field_of(statuses, "max_characters", DEFAULT_MAX_CHARACTERS)),
            int(field_of(statuses, "characters_reserved_per_url", URL_CHARACTERS)))

