"""Redacting a stored post its author deleted on the platform: platform-neutral, once per post.

A source that hears of a deletion (Mastodon's stream ``delete`` event, a Bluesky delete commit)
calls :func:`redact_post` in a transaction. The mention keeps its row (the case, its triage and
its history stay whole) but loses what the author took back: its text and the raw payload that
repeats it. One ``post_redacted`` event is written to the case (no text in it); the caller hands
the returned :class:`~bot.desk.actions.ActionResult` to the runtime's action listeners, so every team
platform re-renders the card from the redacted row. The conditional UPDATE makes a repeated or
concurrent delete a no-op.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.desk.actions import ActionResult
from storage import queries
from storage.models import Mention

REDACTED_TEXT = "[post deleted by its author]"


def redact_post(session: Session, platform: str, external_id: str, *, source: str,
                now: datetime | None = None) -> ActionResult | None:
    """Redact the stored post ``(platform, external_id)``; None when it is unknown or already redacted."""
    now = now or datetime.now(timezone.utc)
    row = session.execute(select(Mention.id, Mention.case_id).where(Mention.platform == platform,
                                                                    Mention.external_id == str(external_id))).first()
    if row is None:
        return None
    changed = session.execute(
        update(Mention).where(Mention.id == row.id, Mention.text != REDACTED_TEXT)
        .values(text=REDACTED_TEXT, raw={"platform": platform, "redacted": True, "redacted_at": now.isoformat()})
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1 or row.case_id is None:
        return None
    queries.add_event(session, row.case_id, "post_redacted", actor=f"{source} (author deleted the post)",
                      source=source, payload={"mention_id": row.id, "external_id": str(external_id)}, at=now)
    return ActionResult("redact", row.case_id, True, "post_redacted", source=source)
