"""The ``retention:`` section of the config (see bot/privacy/)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetentionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int | None = Field(
        default=None, ge=1, le=36500,
        description="Erase the personal data of cases closed (resolved or not actionable) this many days ago, "
                    "and of posts that opened no case; unset: keep everything")
    check_every_minutes: float = Field(default=60, ge=1, le=1440,
                                       description="How often the leader replica erases what has expired")
