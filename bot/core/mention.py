"""The mention JSON interface shared by every source (file replay lines, webhook bodies).

```
{"platform": "x", "id": "…", "text": "…", "created_at": "ISO-8601",
 "author": {"id": "…", "handle": "…", "name": "…", "followers": 0, "verified": false},
 "url": "…", "conversation_id": "…", "in_reply_to_id": "…", "lang": "en"}
```
``platform``, ``id``, ``text`` and ``author.handle`` are required. Unknown fields are kept:
the whole original object is stored as the mention's raw payload.

What validates here can be stored on SQLite and PostgreSQL alike: anything either would refuse
(NUL characters, unpaired surrogates, NaN, huge numbers, deep nesting, follower counts beyond
the 32-bit column, dates that leave the calendar once converted to UTC) is refused with its
field named (``bot.core.storable``), never repaired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.core.config import PLATFORMS
from bot.core import storable

#: Hard ceiling whatever the config says: nothing larger is a social post.
ABSOLUTE_MAX_TEXT = 100_000
#: Follower counts are stored in 32-bit integer columns; no account comes near this (refused, not clamped).
MAX_FOLLOWERS = 2**31 - 1


class MentionError(ValueError):
    """A mention that cannot be accepted; the message names every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class AuthorIn(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str | None = Field(default=None, max_length=100)
    handle: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    followers: int = Field(default=0, ge=0, le=MAX_FOLLOWERS)
    verified: bool = False

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("handle")
    @classmethod
    def _handle(cls, v: str) -> str:
        v = v.lstrip("@")
        if not v:
            raise ValueError("handle is empty")
        return v


class MentionIn(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    platform: str = Field(min_length=1, max_length=32)
    id: str = Field(min_length=1, max_length=100)
    text: str = Field(max_length=ABSOLUTE_MAX_TEXT)
    created_at: datetime | None = None
    author: AuthorIn
    url: str | None = Field(default=None, max_length=2048)
    conversation_id: str | None = Field(default=None, max_length=100)
    in_reply_to_id: str | None = Field(default=None, max_length=100)
    lang: str | None = Field(default=None, max_length=16)
    # Sent straight to the brand (a DM, a contact form, a comment under the brand's own post):
    # it is addressed to us even when it names no handle, hashtag or keyword.
    direct: bool = False

    @field_validator("id", "conversation_id", "in_reply_to_id", mode="before")
    @classmethod
    def _ids_as_text(cls, v: Any) -> Any:
        # X ids are often sent as JSON numbers; they are identifiers, not quantities.
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("platform")
    @classmethod
    def _platform(cls, v: str) -> str:
        v = v.lower()
        if v not in PLATFORMS:
            raise ValueError(f"unknown platform {v!r}; known: {', '.join(PLATFORMS)}")
        return v

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is empty")
        return v

    @field_validator("created_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            v = v.replace(tzinfo=timezone.utc)  # ISO strings without zone are taken as UTC
        if v is not None:
            try:
                v.astimezone(timezone.utc)  # stored in UTC: 9999-12-31T23:59:59-05:00 is past year 9999
            except OverflowError:
                raise ValueError("outside the years 1-9999 once converted to UTC") from None
        return v


@dataclass(frozen=True)
class Mention:
    """A normalized mention, whatever source it came from."""

    platform: str
    external_id: str
    text: str
    created_at: datetime
    author_handle: str
    author_id: str | None = None
    author_name: str | None = None
    author_followers: int = 0
    author_verified: bool = False
    url: str | None = None
    conversation_id: str | None = None
    in_reply_to_id: str | None = None
    lang: str | None = None
    direct: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _format_error(err: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in err["loc"]) or "(body)"
    msg = err["msg"]
    if err["type"] == "string_too_long":
        msg = f"too long: {err['ctx']['max_length']} characters at most"
    elif err["type"] == "missing":
        msg = "required field is missing"
    return f"{loc}: {msg}"


def parse_mention(data: Any, *, max_text_chars: int = 10_000, received_at: datetime | None = None) -> Mention:
    """Validate one decoded JSON value and normalize it. Raises :class:`MentionError`."""
    if not isinstance(data, dict):
        raise MentionError([f"a mention must be a JSON object, got {type(data).__name__}"])
    if unstorable := storable.problems(data):
        raise MentionError(unstorable)
    try:
        parsed = MentionIn.model_validate(data)
    except ValidationError as exc:
        raise MentionError([_format_error(e) for e in exc.errors(include_url=False)]) from None
    if len(parsed.text) > max_text_chars:
        raise MentionError([f"text: too long ({len(parsed.text)} characters; the limit is {max_text_chars})"])
    created = parsed.created_at or received_at or datetime.now(timezone.utc)
    return Mention(
        platform=parsed.platform,
        external_id=parsed.id,
        text=parsed.text,
        created_at=created.astimezone(timezone.utc),
        author_handle=parsed.author.handle,
        author_id=parsed.author.id,
        author_name=parsed.author.name,
        author_followers=parsed.author.followers,
        author_verified=parsed.author.verified,
        url=parsed.url,
        conversation_id=parsed.conversation_id or parsed.id,
        in_reply_to_id=parsed.in_reply_to_id,
        lang=parsed.lang,
        direct=parsed.direct,
        raw=data,
    )


def parse_mention_json(line: str | bytes, **kwargs: Any) -> Mention:
    try:
        data = storable.loads(line)
    except storable.TooDeep as exc:
        raise MentionError([str(exc)]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MentionError([f"not valid JSON: {exc}"]) from None
    return parse_mention(data, **kwargs)
