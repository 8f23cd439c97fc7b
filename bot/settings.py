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
    # Trained triage heads (`mentiondesk train` writes them here).
    model_dir: str = field(default_factory=lambda: os.environ.get("MENTIONDESK_MODEL_DIR", "models/heads"))
    # Bearer token the webhook source requires when set.
    webhook_token: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_WEBHOOK_TOKEN"))
    slack_bot_token: SecretStr | None = field(default_factory=lambda: _secret("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = field(default_factory=lambda: _secret("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = field(default_factory=lambda: _secret("SLACK_SIGNING_SECRET"))
    slack_api_url: str = field(default_factory=lambda: os.environ.get("SLACK_API_URL", "https://slack.com/api/"))
    x_bearer_token: SecretStr | None = field(default_factory=lambda: _secret("X_BEARER_TOKEN"))
    x_api_url: str = field(default_factory=lambda: os.environ.get("X_API_URL", "https://api.x.com"))
    # Bearer token for the CRM lookup webhook (crm.lookup_url in the config), when it needs one.
    crm_token: SecretStr | None = field(default_factory=lambda: _secret("MENTIONDESK_CRM_TOKEN"))
    discord_bot_token: SecretStr | None = field(default_factory=lambda: _secret("DISCORD_BOT_TOKEN"))
    discord_api_url: str = field(default_factory=lambda: os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10"))
