"""What the relay can send on each platform, for the Reply dialogs to offer only that.

Public replies go everywhere; a private reply needs the platform's direct messages to be open to
the brand account. When they are not, :func:`private_reply_unavailable` says why in words the
dialog shows next to the choice (and the relay refuses such a reply with the same reason)."""

from __future__ import annotations

from bot.core.config import Config


def private_reply_unavailable(config: Config, platform: str) -> str | None:
    """Why a private reply cannot go out on ``platform`` with this configuration, or None."""
    if platform == "bluesky" and not config.bluesky.direct_messages:
        from bot.relay.bluesky import NO_DMS

        return NO_DMS
    return None
