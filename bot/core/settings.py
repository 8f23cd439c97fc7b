"""Runtime settings from environment variables: where secrets live.

Tokens are wrapped in ``SecretStr`` so that printing or logging the settings shows ``**********``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from pydantic import SecretStr


def _secret(name: str) -> SecretStr | None:
    value = os.environ.get(name)
    return SecretStr(value) if value else None


@dataclass(frozen=True)
class Settings:
    database_url: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL"))
    config_path: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_CONFIG"))
    # The escalation map (YAML); unset: no escalation timers, built-in reply policy.
    escalation_path: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_ESCALATION"))
    # Triage heads to use instead of the shipped ones (unset: models/heads when `mentiondesk train`
    # wrote heads there, else the heads the package ships; see bot/triage/model/location.py).
    model_dir: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_MODEL_DIR") or None)
    # How long a crashed worker's claim on a card post or a reply send blocks the others before
    # they take over and reconcile (seconds). Longer than any single Slack/X call may take.
    lease_seconds: float | None = field(default_factory=lambda: float(os.environ["MENTIONDESK_LEASE_SECONDS"])
                                        if os.environ.get("MENTIONDESK_LEASE_SECONDS") else None)
    # Bearer token the webhook source requires when set.
    webhook_token: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_WEBHOOK_TOKEN"))
    slack_bot_token: SecretStr | None = field(default_factory=lambda: _secret("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = field(default_factory=lambda: _secret("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = field(default_factory=lambda: _secret("SLACK_SIGNING_SECRET"))
    slack_api_url: str = field(default_factory=lambda: os.environ.get("SLACK_API_URL", "https://slack.com/api/"))
    # Signs web console session cookies; unset: a random key per process (sessions end on restart).
    web_secret: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_WEB_SECRET"))
    # Set to 1 behind HTTPS so the session cookie is never sent over plain HTTP.
    web_secure_cookie: bool = field(default_factory=lambda: os.environ.get("MENTIONDESK_WEB_SECURE_COOKIE") == "1")
    # Public base URL of this server (https://desk.example.com): the satisfaction survey links use it.
    public_url: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_PUBLIC_URL") or None)
    # Slack channel (C…) for the supervisors' daily digest (and the weekly one on Mondays), at HH:MM UTC.
    digest_channel: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_DIGEST_CHANNEL") or None)
    digest_at: str = field(default_factory=lambda: os.environ.get("MENTIONDESK_DIGEST_AT", "08:00"))
    x_bearer_token: SecretStr | None = field(default_factory=lambda: _secret("X_BEARER_TOKEN"))
    # The brand account's OAuth 1.0a user tokens: replies, DMs, likes and reposts act as it.
    x_consumer_key: SecretStr | None = field(default_factory=lambda: _secret("X_CONSUMER_KEY"))
    x_consumer_secret: SecretStr | None = field(default_factory=lambda: _secret("X_CONSUMER_SECRET"))
    x_access_token: SecretStr | None = field(default_factory=lambda: _secret("X_ACCESS_TOKEN"))
    x_access_token_secret: SecretStr | None = field(default_factory=lambda: _secret("X_ACCESS_TOKEN_SECRET"))
    x_api_url: str = field(default_factory=lambda: os.environ.get("X_API_URL", "https://api.x.com"))
    # Mastodon: the instance (overrides mastodon.base_url) and the brand account's access token.
    mastodon_base_url: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_MASTODON_BASE_URL") or None)
    mastodon_access_token: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_MASTODON_ACCESS_TOKEN"))
    # The brand's Bluesky account and an app password for it (Settings → App passwords).
    bluesky_handle: str | None = field(default_factory=lambda: os.environ.get("MENTIONDESK_BLUESKY_HANDLE") or None)
    bluesky_app_password: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_BLUESKY_APP_PASSWORD"))
    # Bearer token for the CRM lookup webhook (crm.lookup_url in the config), when it needs one.
    crm_token: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_CRM_TOKEN"))
    discord_bot_token: SecretStr | None = field(default_factory=lambda: _secret("DISCORD_BOT_TOKEN"))
    discord_api_url: str = field(default_factory=lambda: os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10"))
    discord_gateway_url: str = field(default_factory=lambda: os.environ.get("DISCORD_GATEWAY_URL",
                                                                            "wss://gateway.discord.gg/"))
