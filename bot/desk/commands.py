"""Typed actions: what each button, dialog and console form asks the desk to do.

One class per action. It declares its parameters (pydantic fields, validated when an adapter
builds it from untrusted platform input) and the roles that may run it; :meth:`Command.apply`
calls the platform-neutral rule in :mod:`bot.desk.actions`, which checks the roles, the case's
state and the concurrency rule, and records one event (or one refusal). Adapters only build a
command and hand it to :meth:`bot.desk.actions.CaseDesk.run`:

    command = Escalate.parse(to_team=team, reason=reason, level=level)   # Problems if invalid
    result = desk.run(command, case_id, "slack", user_id, delivery_key=...)

A problem found while parsing (a missing reason, an outbox id that is not a number) is raised as
:class:`Problems`, field by field, so Slack can show it under the field, Discord and the console
in a message; nothing is recorded for it because nothing reached the desk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from sqlalchemy.orm import Session

from bot.desk import actions
from bot.desk.actions import APPROVE_ROLES, LEAD_ROLES, NOTE_ROLES, WORK_ROLES, ActionResult, Actor
from bot.desk.reply_policy import ReplyPolicy
from storage.models import Role


@dataclass(frozen=True)
class DeskContext:
    """What commands need besides the case: the reply policy and the configured reply texts."""

    policy: ReplyPolicy = field(default_factory=ReplyPolicy)
    #: Canned responses by id (``canned_responses``).
    canned: Mapping[str, str] = field(default_factory=dict)
    #: The public thank-you after a private resolution (``x.thank_you_response``), if configured.
    thank_you: str | None = None

    @classmethod
    def from_config(cls, config: Any, policy: ReplyPolicy | None = None) -> "DeskContext":
        if config is None:
            return cls(policy or ReplyPolicy())
        return cls(policy or ReplyPolicy(), {c.id: c.text for c in config.canned_responses}, config.thank_you_text())


class Problems(ValueError):
    """Input that cannot become a command: ``fields`` maps each field to what is wrong with it."""

    def __init__(self, fields: Mapping[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{message}" for message in self.fields.values()))


def _required(message: str):
    """A validator: the stripped text must not be empty (``message`` says what to do instead)."""

    def check(value: str) -> str:
        value = (value or "").strip()
        if not value:
            raise ValueError(message)
        return value

    return check


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    #: The action's name, as events, refusals and metrics call it.
    action: ClassVar[str]
    #: Who may run it (the action's own check records a refusal for anyone else).
    roles: ClassVar[frozenset[Role]] = WORK_ROLES

    @classmethod
    def parse(cls, **values: Any) -> "Command":
        """Build the command from platform input; :class:`Problems` names each bad field."""
        try:
            return cls(**values)
        except ValidationError as exc:
            fields: dict[str, str] = {}
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "form"
                message = str(error["msg"]).removeprefix("Value error, ")
                if error["type"].startswith("int_"):
                    message = f"{name.replace('_', ' ')} must be a number"
                elif error["type"] in ("missing", "string_too_short"):
                    message = f"{name.replace('_', ' ')} is required"
                elif error["type"] == "literal_error":
                    message = f"{name.replace('_', ' ')}: {message}"
                fields.setdefault(name, message)
            raise Problems(fields) from None

    def apply(self, session: Session, case_id: int, actor: Actor, now: datetime, desk: DeskContext) -> ActionResult:
        raise NotImplementedError


class Claim(Command):
    action = "claim"

    def apply(self, session, case_id, actor, now, desk):
        return actions.claim(session, case_id, actor, now=now)


class Release(Command):
    action = "release"

    def apply(self, session, case_id, actor, now, desk):
        return actions.release(session, case_id, actor, now=now)


class Reassign(Command):
    action = "reassign"
    roles = LEAD_ROLES
    to_agent_id: int

    def apply(self, session, case_id, actor, now, desk):
        return actions.reassign(session, case_id, actor, to_agent_id=self.to_agent_id, now=now)


class MayReply(Command):
    """Before a reply dialog opens: the reply's checks, so nobody types a reply they cannot send."""

    action = "may_reply"

    def apply(self, session, case_id, actor, now, desk):
        return actions.may_reply(session, case_id, actor, now=now)


class SaveDraft(Command):
    """What the agent typed in a Reply dialog they closed, kept for when they reopen it."""

    action = "save_draft"
    text: str = ""

    def apply(self, session, case_id, actor, now, desk):
        return actions.save_draft(session, case_id, actor, text=self.text, now=now)


class TakeOver(Command):
    """A lead makes someone else's case their own, so they may reply to it."""

    action = "take_over"
    roles = LEAD_ROLES

    def apply(self, session, case_id, actor, now, desk):
        return actions.take_over(session, case_id, actor, now=now)


class Reply(Command):
    """A reply to the customer; empty ``text`` with a ``canned_id`` sends that canned response."""

    action = "reply"
    text: str = ""
    canned_id: str | None = None
    visibility: Literal["public", "private"] = "public"
    #: One dialog, one outbox row: a resubmitted dialog or form queues nothing twice.
    idempotency_key: str

    def resolved(self, canned: Mapping[str, str]) -> "Reply":
        """The reply with the canned response's text filled in where the agent typed none."""
        if self.text or not self.canned_id:
            return self
        return self.model_copy(update={"text": canned.get(self.canned_id, "")})

    def apply(self, session, case_id, actor, now, desk):
        reply = self.resolved(desk.canned)
        return actions.reply(session, case_id, actor, text=reply.text, visibility=reply.visibility,
                             idempotency_key=reply.idempotency_key, policy=desk.policy, now=now)


class Engage(Command):
    """Like or repost the customer's post (praise)."""

    action = "engage"
    kind: Literal["like", "repost"]
    idempotency_key: str

    def apply(self, session, case_id, actor, now, desk):
        return actions.engage(session, case_id, actor, kind=self.kind, idempotency_key=self.idempotency_key, now=now)


class ThankPublicly(Command):
    """The configured public thank-you (``x.thank_you_response``) under the customer's post."""

    action = "thank_publicly"
    idempotency_key: str

    def apply(self, session, case_id, actor, now, desk):
        if desk.thank_you is None:
            return ActionResult(self.action, case_id, False, None, "invalid",
                                "no public thank-you is configured (x.thank_you_response)")
        return actions.thank_publicly(session, case_id, actor, text=desk.thank_you,
                                      idempotency_key=self.idempotency_key, policy=desk.policy, now=now)


class Escalate(Command):
    action = "escalate"
    to_team: str
    reason: str
    level: Literal["team", "lead", "pr"] = "team"

    _team = field_validator("to_team", mode="before")(_required("choose a team"))
    _reason = field_validator("reason", mode="before")(_required("say why, so the next person knows"))

    def apply(self, session, case_id, actor, now, desk):
        return actions.escalate(session, case_id, actor, to_team=self.to_team, reason=self.reason, level=self.level,
                                now=now)


class NotActionable(Command):
    action = "not_actionable"
    reason: str = ""

    def apply(self, session, case_id, actor, now, desk):
        return actions.not_actionable(session, case_id, actor, reason=self.reason, now=now)


class Resolve(Command):
    action = "resolve"
    note: str = ""

    def apply(self, session, case_id, actor, now, desk):
        return actions.resolve(session, case_id, actor, note=self.note, now=now)


class Note(Command):
    """An internal note (typed in the card's thread, or in the console); never sent out."""

    action = "note"
    roles = NOTE_ROLES
    text: str

    _text = field_validator("text", mode="before")(_required("text is required"))

    def apply(self, session, case_id, actor, now, desk):
        return actions.note(session, case_id, actor, text=self.text, now=now)


class CorrectTriage(Command):
    """Fix triage: the right intent and/or topic; the event is a labeled example for training."""

    action = "correct_triage"
    intent: str | None = None
    topic: str | None = None
    note: str = ""

    @field_validator("intent", "topic", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return value or None

    def apply(self, session, case_id, actor, now, desk):
        return actions.correct_triage(session, case_id, actor, intent=self.intent, topic=self.topic, note=self.note,
                                      now=now)


class MayApprove(Command):
    """Before the Edit or Reject dialog opens: PR's checks, so nobody types an edit in vain."""

    action = "may_approve"
    roles = APPROVE_ROLES
    outbox_id: int

    def apply(self, session, case_id, actor, now, desk):
        return actions.may_approve(session, case_id, actor, outbox_id=self.outbox_id, now=now)


class Approve(Command):
    action = "approve"
    roles = APPROVE_ROLES
    outbox_id: int

    def apply(self, session, case_id, actor, now, desk):
        return actions.approve(session, case_id, actor, outbox_id=self.outbox_id, policy=desk.policy, now=now)


class Edit(Command):
    action = "edit"
    roles = APPROVE_ROLES
    outbox_id: int
    text: str

    _text = field_validator("text", mode="before")(_required("text is required"))

    def apply(self, session, case_id, actor, now, desk):
        return actions.edit(session, case_id, actor, outbox_id=self.outbox_id, text=self.text, policy=desk.policy,
                            now=now)


class Reject(Command):
    action = "reject"
    roles = APPROVE_ROLES
    outbox_id: int
    reason: str

    _reason = field_validator("reason", mode="before")(_required("say why, so the author can fix it"))

    def apply(self, session, case_id, actor, now, desk):
        return actions.reject(session, case_id, actor, outbox_id=self.outbox_id, reason=self.reason, now=now)


class SamePerson(Command):
    """This case's author and ``handle`` on ``other_platform`` are one customer: merge them."""

    action = "same_person"
    other_platform: str
    handle: str

    @field_validator("other_platform", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return str(value or "").strip().lower()

    def apply(self, session, case_id, actor, now, desk):
        return actions.same_person(session, case_id, actor, other_platform=self.other_platform, handle=self.handle,
                                   now=now)


#: Every command by its action name (the console's forms name the action they submit).
COMMANDS: dict[str, type[Command]] = {cls.action: cls for cls in (
    Claim, Release, Reassign, MayReply, SaveDraft, TakeOver, Reply, Engage, ThankPublicly, Escalate, NotActionable, Resolve, Note,
    CorrectTriage, MayApprove, Approve, Edit, Reject, SamePerson)}


def topic_choices(config: Any) -> list[str]:
    """The topics a person may pick when fixing triage: the rules' topics and the model's."""
    return sorted({*config.triage.topics, *config.triage.model.topic_map.values()})
