"""The ``crm:`` section of the config: the optional CRM lookup webhook.

The URL is data; a token, when the CRM needs one, comes only from ``MENTIONDESK_CRM_TOKEN``
(sent as ``Authorization: Bearer …``), never from the file: a ``lookup_url`` carrying credentials
(``user:pass@``, a query parameter named like a key or token, a literal value that looks like
one) is refused, and the message never repeats the secret.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


# Query parameter names that carry credentials, compared without "_", "-" and "." and
# lower-cased (api_key, apiKey, X-Api-Key, access_token, client_secret, ...).
_SECRET_NAME_PARTS = ("apikey", "token", "secret", "password", "passwd", "pwd", "auth", "credential",
                      "signature", "sessionid", "privatekey", "accesskey")
_SECRET_NAMES = frozenset({"key", "sig", "pass", "jwt", "bearer"})
# A literal value this long made of letters and digits (both) reads as a key whoever named it.
_TOKEN_LIKE = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_\-.~+/=]{24,}")


def credentials_in_url(url: str) -> str | None:
    """Why ``url`` holds a secret (without repeating it), or None when it holds none."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        return "lookup_url must not contain a user name or password (user:pass@host)"
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        plain = re.sub(r"[_.\-]", "", name.lower())
        if plain in _SECRET_NAMES or any(part in plain for part in _SECRET_NAME_PARTS):
            return f"lookup_url must not carry the query parameter {name!r}: it looks like a credential"
        if "{" not in value and _TOKEN_LIKE.fullmatch(value):
            return f"lookup_url's query parameter {name!r} holds a value that looks like a key or token"
    return None


class CrmSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lookup_url: str | None = Field(
        default=None,
        description="GET URL with {platform} and {handle} placeholders, e.g. https://crm.example.com/lookup?platform={platform}&handle={handle}")
    timeout_seconds: float = Field(default=1.0, gt=0, le=30, description="Give up on the CRM after this long")
    cache_seconds: float = Field(default=300, ge=0, description="Keep an answer (or 'not found') this long")
    failure_cache_seconds: float = Field(default=30, ge=0,
                                         description="After a failure, do not ask again for this long (a CRM that is down never slows every case)")

    @field_validator("lookup_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("lookup_url must start with http:// or https://")
        if "{handle}" not in value:
            raise ValueError("lookup_url must contain {handle} (and may contain {platform})")
        try:
            value.format(platform="x", handle="h")
        except (KeyError, IndexError, ValueError):
            raise ValueError("lookup_url may only use the placeholders {platform} and {handle}") from None
        if problem := credentials_in_url(value):
            raise ValueError(f"{problem}; secrets live only in the environment: set MENTIONDESK_CRM_TOKEN "
                             "(sent as Authorization: Bearer)")
        return value


class KnownCustomer(BaseModel):
    """One person the team knows by several identities (``customers:`` in the config)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = None
    crm_id: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=50)
    value: float | None = Field(default=None, ge=0)
    email: str | None = Field(default=None, max_length=320)
    handles: dict[str, str] = Field(default_factory=dict, description="platform -> handle, e.g. {x: maria_g, discord: maria_d}")

    @field_validator("handles")
    @classmethod
    def _handles(cls, value: dict[str, str]) -> dict[str, str]:
        known = ("x", "discord", "instagram", "facebook", "bluesky", "mastodon", "webhook", "slack")
        for platform, handle in value.items():
            if platform not in known:
                raise ValueError(f"unknown platform {platform!r} (known: {', '.join(known)})")
            if not str(handle).strip().lstrip("@"):
                raise ValueError(f"empty handle for {platform}")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and "@" not in value.strip("@"):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _two_identities(self) -> "KnownCustomer":
        identities = len(self.handles) + bool(self.email) + bool(self.crm_id)
        if identities < 2:
            raise ValueError("name at least two of handles, email and crm_id: there is nothing to join otherwise")
        return self
