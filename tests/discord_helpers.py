"""Driving the Discord adapter in tests: a fake Discord REST API on 127.0.0.1, and interactions
fed to discord.py's gateway parser (``INTERACTION_CREATE``) exactly as Discord sends them."""

from __future__ import annotations

import itertools
import logging
import time
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.config import Config
from bot.app.runtime import Runtime
from handlers.discord.app import DiscordAdapter, set_api_base
from storage.models import Case, Event
from tests.conftest import ServerThread
from tests.fakes.discord_api import APP_ID, GUILD_ID, FakeDiscord, snowflake, user

CARE_D, BAGS_D, PR_D = "100000000000000001", "100000000000000002", "100000000000000003"
ANA_D, BEN_D, DEV_D, ERIN_D = "300000000000000001", "300000000000000002", "300000000000000003", "300000000000000004"
LEAD_ROLE, AGENT_ROLE, PR_ROLE = "500000000000000001", "500000000000000002", "500000000000000003"
_seq = itertools.count(1000)


def wait_until(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def discord_config(config: Config) -> Config:
    """The sample config with Discord channels for every team and Discord ids for the people."""
    teams = []
    for team in config.teams:
        discord = {"care": CARE_D, "baggage": BAGS_D, "pr": PR_D}.get(team.name)
        teams.append(team.model_copy(update={"channels": team.channels.model_copy(update={"discord": discord})}))
    ids = {"Ana Ortiz": ANA_D, "Ben Carter": BEN_D, "Dev Patel": DEV_D, "Erin Walsh": ERIN_D}
    agents = [a.model_copy(update={"discord_user_id": ids.get(a.name)}) for a in config.agents]
    return config.model_copy(update={"teams": teams, "agents": agents})


class DiscordDesk:
    """The running Discord side: fake API server, adapter (no gateway) and helpers acting like Discord."""

    def __init__(self, runtime: Runtime, fake: FakeDiscord, server: ServerThread, adapter: DiscordAdapter):
        self.runtime, self.fake, self.server, self.adapter = runtime, fake, server, adapter

    # --- what Discord sends --------------------------------------------------------------------

    def interaction(self, type: int, data: dict, user_id: str, message: dict | None, *,
                    roles: list[str] | None = None, name: str | None = None) -> dict[str, Any]:
        channel_id = message["channel_id"] if message else CARE_D
        thread = channel_id in self.fake.threads
        payload = {
            "id": snowflake(next(_seq)), "application_id": APP_ID, "type": type, "token": f"itoken-{next(_seq)}",
            "version": 1, "guild_id": GUILD_ID, "channel_id": channel_id,
            "channel": dict(self.fake.threads[channel_id]) if thread else {
                "id": channel_id, "type": 0, "guild_id": GUILD_ID, "name": "team", "position": 0,
                "permission_overwrites": [], "nsfw": False, "flags": 0, "parent_id": None,
                "rate_limit_per_user": 0, "topic": None, "last_message_id": None},
            "member": {"user": user(user_id, name or f"user {user_id[-3:]}"), "roles": roles or [], "nick": None,
                       "avatar": None, "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                       "flags": 0, "pending": False, "premium_since": None, "permissions": "2248473465835073",
                       "communication_disabled_until": None},
            "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0, "data": data,
            "attachment_size_limit": 10485760,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def press(self, custom_id: str, user_id: str, message: dict, **kw: Any) -> dict:
        """A button press (interaction type 3) on ``message`` as the fake holds it."""
        payload = self.interaction(3, {"custom_id": custom_id, "component_type": 2}, user_id, message, **kw)
        self.adapter.dispatch_raw("INTERACTION_CREATE", payload)
        return payload

    def submit(self, custom_id: str, user_id: str, message: dict, values: dict[str, Any], **kw: Any) -> dict:
        """A modal submission (interaction type 5): text inputs take a str, selects a list of values."""
        components = []
        for cid, value in values.items():
            inner = ({"type": 3, "custom_id": cid, "values": value} if isinstance(value, list)
                     else {"type": 4, "custom_id": cid, "value": value})
            components.append({"type": 18, "id": len(components) + 1, "component": inner})
        payload = self.interaction(5, {"custom_id": custom_id, "components": components}, user_id, message, **kw)
        self.adapter.dispatch_raw("INTERACTION_CREATE", payload)
        return payload

    # --- what the bot did --------------------------------------------------------------------------

    def callback(self, payload: dict, timeout: float = 10) -> dict:
        """The interaction response the bot gave to ``payload`` (its JSON body)."""
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return wait_until(lambda: next((c.body for c in self.fake.calls_of("callback") if c.path.endswith(path)),
                                       None), timeout, f"callback of interaction {payload['id']}")

    def callback_call(self, payload: dict):
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return next((c for c in self.fake.calls_of("callback") if c.path.endswith(path)), None)

    def response_message(self, payload: dict, channel_id: str) -> dict:
        """The (ephemeral) message the bot answered ``payload`` with, as Discord shows it in ``channel_id``."""
        message = wait_until(lambda: self.fake.responses.get(payload["token"]), what="response message")
        return {**message, "channel_id": channel_id, "flags": 64}

    def followups(self, payload: dict) -> list[dict]:
        return [c.body for c in self.fake.calls_of("followup") if payload["token"] in c.path]

    def card(self, channel: str, case_id: int) -> dict:
        def find():
            return next((m for m in self.fake.channel(channel) if m["content"].endswith(f"case #{case_id}")), None)
        return wait_until(find, what=f"Discord card of case {case_id} in {channel}")

    def card_when(self, message_id: str, predicate, what: str) -> dict:
        return wait_until(lambda: (m := self.fake.message(message_id)) and predicate(m) and m, what=what)

    def thread(self, card: dict) -> list[dict]:
        return self.fake.channel(card["id"])

    def events(self, case_id: int, type: str | None = None) -> list[Event]:
        with self.runtime.sessions() as session:
            query = select(Event).where(Event.case_id == case_id).order_by(Event.id)
            if type:
                query = query.where(Event.type == type)
            return list(session.scalars(query))

    def case(self, case_id: int) -> Case:
        with self.runtime.sessions() as session:
            return session.get(Case, case_id)


def custom_ids(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


def embed_text(message: dict) -> str:
    parts = [message.get("content", "")]
    for embed in message.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", ""), (embed.get("author") or {}).get("name", "")]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def start_fake() -> tuple[FakeDiscord, ServerThread]:
    fake = FakeDiscord()
    return fake, ServerThread(fake.app).__enter__()


def start_adapter(runtime: Runtime, fake: FakeDiscord, server: ServerThread, **kw: Any) -> DiscordAdapter:
    adapter = DiscordAdapter(runtime, token=fake.token, api_url=server.url + "/api/v10", gateway=False, **kw)
    adapter.start()
    return adapter


def reset_api_base() -> None:
    set_api_base(None)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


@pytest.fixture(autouse=True)
def no_errors_logged(caplog):
    """discord.py logs (and swallows) exceptions raised in view callbacks and event handlers: a
    test passing with one of those would hide a broken press. Import this into a test module.
    (Autouse fixtures are set up first, so this runs after the adapter has stopped.)"""
    yield
    records = [r for phase in ("setup", "call", "teardown") for r in caplog.get_records(phase)]
    errors = [r for r in records if r.levelno >= logging.ERROR
              and r.name.split(".")[0] in ("discord", "handlers", "bot", "asyncio")
              # the serve test's gateway points at a closed port on purpose
              and not r.getMessage().startswith("Attempting a reconnect")]
    assert not errors, "errors logged: " + "; ".join(f"{r.name}: {r.getMessage()}" for r in errors)
