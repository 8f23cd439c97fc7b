"""PR approval in the Discord thread, Discord roles mapped to mentiondesk roles, the server
start-up wiring and the config keys. Fake Discord API, discord.py's gateway parser, both databases."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.core.config import ConfigError, parse_config
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from bot.core.yaml_source import load_yaml_with_lines
from bot.desk.reply_policy import ReplyPolicy
from handlers.discord import ids
from handlers.discord.app import DiscordAdapter
from storage.models import Agent, OutboxEntry, OutboxState
from tests.conftest import SAMPLES, example_config_text, mention
from tests.discord_helpers import (AGENT_ROLE, ANA_D, ERIN_D, LEAD_ROLE, PR_D, PR_ROLE, DiscordDesk, custom_ids,
                                   discord_config, embed_text, reset_api_base, start_adapter, start_fake, wait_until)
from tests.discord_helpers import no_errors_logged  # noqa: F401  (autouse: swallowed errors fail the test)

SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"
EPHEMERAL = 64


@pytest.fixture
def ddesk(config, database_url):
    runtime = Runtime.build(discord_config(config), database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server, policy=ReplyPolicy(sensitive_topics=frozenset({"safety"})))
    desk = DiscordDesk(runtime, fake, server, adapter)
    yield desk
    adapter.stop()
    server.__exit__()
    runtime.close()
    reset_api_base()


def draft_waiting(desk: DiscordDesk, id: str = "m1") -> tuple[int, dict, dict]:
    """A safety case claimed by Ana whose reply waits for PR: (case id, card, approval message)."""
    case_id = desk.runtime.ingest_batch([parse_mention(mention(id, SAFETY))])[0].case_id
    card = desk.card(PR_D, case_id)
    wait_until(lambda: card["id"] in desk.fake.threads, what="thread")
    desk.press(ids.card("claim", case_id), ANA_D, card)
    claimed = desk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "claim")
    desk.submit(ids.modal("reply_modal", case_id), ANA_D, claimed, {"text": "So sorry, the crew is looking into it."})
    message = wait_until(lambda: next((m for m in desk.thread(card) if m["components"]), None),
                         what="approval message in the thread")
    return case_id, card, message


def outbox(desk: DiscordDesk) -> OutboxEntry:
    with desk.runtime.sessions() as session:
        return session.scalars(select(OutboxEntry)).one()


def test_approval_in_the_thread_only_pr_decides(ddesk):
    case_id, card, message = draft_waiting(ddesk)
    entry = outbox(ddesk)
    assert entry.state == OutboxState.AWAITING_APPROVAL
    # PR is pinged (and only PR: the draft may quote the customer).
    assert f"<@{ERIN_D}>" in message["content"] and "So sorry" in message["embeds"][0]["description"]
    assert message["allowed_mentions"]["parse"] == [] and message["allowed_mentions"]["users"] == [int(ERIN_D)]
    assert custom_ids(message) == [ids.approval(a, case_id, entry.id) for a in ("approve", "edit", "reject")]
    ddesk.card_when(card["id"], lambda m: "waits for approval" in embed_text(m), "card shows the wait")

    # Not PR: Approve is refused after the deferral, Edit before any modal opens; both recorded.
    approve = ddesk.press(ids.approval("approve", case_id, entry.id), ANA_D, message)
    assert ddesk.callback(approve)["type"] == 6
    assert "only pr can approve" in wait_until(lambda: ddesk.followups(approve), what="refusal")[0]["content"]
    edit = ddesk.press(ids.approval("edit", case_id, entry.id), ANA_D, message)
    answer = ddesk.callback(edit)
    assert answer["type"] == 4 and answer["data"]["flags"] & EPHEMERAL and "only pr" in answer["data"]["content"]
    assert len(ddesk.events(case_id, "refused")) == 2 and outbox(ddesk).state == OutboxState.AWAITING_APPROVAL

    # PR edits: the modal holds the draft; the edit is recorded and shown, buttons kept.
    edit = ddesk.press(ids.approval("edit", case_id, entry.id), ERIN_D, message)
    modal = ddesk.callback(edit)
    assert modal["type"] == 9 and modal["data"]["custom_id"] == ids.modal("edit_modal", case_id, entry.id)
    assert "So sorry" in str(modal["data"]["components"])
    ddesk.submit(ids.modal("edit_modal", case_id, entry.id), ERIN_D, message,
                 {"text": "We're so sorry. Our safety team is looking into SK212 now."})
    edited = ddesk.card_when(message["id"], lambda m: "safety team" in str(m["embeds"]), "edited draft shown")
    assert len(custom_ids(edited)) == 3 and ddesk.events(case_id, "approval_edited")

    # PR approves: queued once, the message closes with who decided.
    approve = ddesk.press(ids.approval("approve", case_id, entry.id), ERIN_D, edited)
    assert ddesk.callback(approve)["type"] == 6
    closed = ddesk.card_when(message["id"], lambda m: "Approved by" in m["content"], "approval closed")
    assert custom_ids(closed) == [] and f"Approved by <@{ERIN_D}>" in closed["content"]
    entry = outbox(ddesk)
    assert entry.state == OutboxState.PENDING and entry.text.startswith("We're so sorry")
    assert len(ddesk.events(case_id, "approved")) == 1


def test_reject_needs_a_reason_and_pings_the_author(ddesk):
    case_id, card, message = draft_waiting(ddesk)
    entry = outbox(ddesk)
    opened = ddesk.press(ids.approval("reject", case_id, entry.id), ERIN_D, message)
    assert ddesk.callback(opened)["data"]["custom_id"] == ids.modal("reject_modal", case_id, entry.id)
    empty = ddesk.submit(ids.modal("reject_modal", case_id, entry.id), ERIN_D, message, {"reason": "  "})
    assert "say why" in wait_until(lambda: ddesk.followups(empty), what="reason needed")[0]["content"]
    assert outbox(ddesk).state == OutboxState.AWAITING_APPROVAL
    ddesk.submit(ids.modal("reject_modal", case_id, entry.id), ERIN_D, message, {"reason": "Don't guess @everyone"})
    closed = ddesk.card_when(message["id"], lambda m: "Rejected by" in m["content"], "approval closed")
    assert custom_ids(closed) == [] and outbox(ddesk).state == OutboxState.REJECTED
    told = wait_until(lambda: next((m for m in ddesk.thread(card) if "your reply was rejected" in m["content"]), None),
                      what="author told in the thread")
    assert told["content"].startswith(f"<@{ANA_D}>") and "@\u200beveryone" in told["content"]
    assert told["allowed_mentions"]["parse"] == [] and told["allowed_mentions"]["users"] == [int(ANA_D)]


def test_discord_roles_map_to_mentiondesk_roles(config, database_url):
    cfg = discord_config(config)
    cfg = cfg.model_copy(update={"discord": cfg.discord.model_copy(update={"roles": cfg.discord.roles.model_copy(
        update={"lead": [LEAD_ROLE], "agent": [AGENT_ROLE], "pr": [PR_ROLE]})})})
    runtime = Runtime.build(cfg, database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    desk = DiscordDesk(runtime, fake, server, adapter)
    newcomer, stranger = "310000000000000001", "310000000000000002"
    try:
        case_id = runtime.ingest_batch([parse_mention(mention("m1", "@SkylarkAir my bag never arrived, help"))])[0].case_id
        card = desk.card("100000000000000002", case_id)
        # No mapped role, not in agents[]: refused and recorded.
        press = desk.press(ids.card("claim", case_id), stranger, card, roles=["999999999999999999"])
        assert "not registered" in wait_until(lambda: desk.followups(press), what="refusal")[0]["content"]
        # Someone not in agents[] holding the lead (and agent) role acts as a lead.
        press = desk.press(ids.card("claim", case_id), newcomer, card, roles=[AGENT_ROLE, LEAD_ROLE], name="Nia")
        desk.card_when(card["id"], lambda m: f"Claimed by <@{newcomer}>" in embed_text(m), "claim by the newcomer")
        with runtime.sessions() as session:
            nia = session.scalars(select(Agent).where(Agent.discord_user_id == newcomer)).one()
            assert (nia.name, nia.role.value, nia.active) == ("Nia", "lead", True)
        # The role taken away: the next press is refused.
        press = desk.press(ids.card("release", case_id), newcomer, fake.message(card["id"]), roles=[], name="Nia")
        assert "not registered" in wait_until(lambda: desk.followups(press), what="refusal")[0]["content"]
        # agents[] wins over roles: Ana stays an agent whatever Discord role she holds.
        press = desk.press(ids.card("release", case_id), ANA_D, fake.message(card["id"]), roles=[PR_ROLE])
        assert "only the owner" in wait_until(lambda: desk.followups(press), what="refusal")[0]["content"]
    finally:
        adapter.stop()
        server.__exit__()
        runtime.close()
        reset_api_base()


def test_config_discord_section_is_validated():
    text = example_config_text()
    good = parse_config(load_yaml_with_lines("c.yaml", text + '\ndiscord:\n  guild_id: "800000000000000001"\n'
                                             '  roles: {lead: ["500000000000000001"]}\n'))
    assert good.discord.roles.lead == ["500000000000000001"]
    with pytest.raises(ConfigError) as bad:
        parse_config(load_yaml_with_lines("c.yaml", text + "\ndiscord:\n  roles: {lead: [\"@Leads\"]}\n"))
    assert "discord.roles.lead" in str(bad.value) and "not a Discord role id" in str(bad.value)
    with pytest.raises(ConfigError) as typo:
        parse_config(load_yaml_with_lines("c.yaml", text + "\ndiscord:\n  token: abc\n"))
    assert "token" in str(typo.value)


def test_serve_starts_discord_only_with_a_bot_token(config, tmp_path):
    from starlette.testclient import TestClient

    fake, server = start_fake()
    url = f"sqlite:///{tmp_path / 'env.db'}"
    try:
        settings = Settings(database_url=url, slack_bot_token=None, discord_bot_token=SecretStr(fake.token),
                            discord_api_url=server.url + "/api/v10/", discord_gateway_url="ws://127.0.0.1:9/")
        runtime = Runtime.build(discord_config(config), database=url, settings=settings)
        app = create_app(runtime)
        assert isinstance(app.state.discord, DiscordAdapter)
        # The lifespan logs in, registers the persistent views and starts the gateway connection
        # (here to a closed local port: it keeps retrying with backoff, as after a Discord outage).
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            assert fake.calls_of("login") and fake.calls_of("application")
            response = client.post("/ingest", json=[mention("m1", "@SkylarkAir my bag never arrived, help")])
            case_id = response.json()["results"][0]["case_id"]
            DiscordDesk(runtime, fake, server, app.state.discord).card("100000000000000002", case_id)
        runtime.close()

        runtime = Runtime.build(config, database=url, settings=Settings(database_url=url, discord_bot_token=None,
                                                                         slack_bot_token=None))
        assert create_app(runtime).state.discord is None
        runtime.close()
    finally:
        server.__exit__()
        reset_api_base()


def test_presses_from_another_server_are_refused(config, database_url):
    cfg = discord_config(config)
    cfg = cfg.model_copy(update={"discord": cfg.discord.model_copy(update={"guild_id": "800000000000000999"})})
    runtime = Runtime.build(cfg, database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    desk = DiscordDesk(runtime, fake, server, adapter)
    try:
        case_id = runtime.ingest_batch([parse_mention(mention("m1", "@SkylarkAir my bag never arrived, help"))])[0].case_id
        card = desk.card("100000000000000002", case_id)
        answer = desk.callback(desk.press(ids.card("claim", case_id), ANA_D, card))  # from server 800…001
        assert answer["type"] == 4 and "does not serve this server" in answer["data"]["content"]
        assert desk.events(case_id, "claimed") == [] and desk.case(case_id).assignee_id is None
    finally:
        adapter.stop()
        server.__exit__()
        runtime.close()
        reset_api_base()


def test_without_the_message_content_intent_the_bot_still_connects(config, tmp_path, caplog):
    import discord

    runtime = Runtime.build(discord_config(config), database=f"sqlite:///{tmp_path / 'i.db'}")
    fake, server = start_fake()
    adapter = DiscordAdapter(runtime, token=fake.token, api_url=server.url + "/api/v10", gateway=True)
    attempts = []

    async def connect(reconnect: bool = True) -> None:  # Discord closes with 4014 while the intent is asked for
        attempts.append(adapter.client._connection.intents.message_content)
        if adapter.client._connection.intents.message_content:
            raise discord.PrivilegedIntentsRequired(None)

    adapter.client.connect = connect
    try:
        adapter.start()
        wait_until(lambda: len(attempts) == 2, what="second connection attempt")
        assert attempts == [True, False] and adapter.client.intents.guilds
        assert "Privileged Gateway Intents" in caplog.text
        caplog.clear()  # the error above is the expected one
    finally:
        adapter.stop()
        server.__exit__()
        runtime.close()
        reset_api_base()


def test_a_role_mapped_member_later_listed_in_agents_keeps_working(config, database_url):
    from bot.core.config import Agent as AgentSpec
    from bot.desk.directory import sync_platform_member
    from storage.db import transaction

    cfg = discord_config(config)
    runtime = Runtime.build(cfg, database=database_url)
    try:
        with transaction(runtime.sessions) as session:
            sync_platform_member(session, cfg, "discord", "310000000000000001", "Nia", "lead")
    finally:
        runtime.close()
    listed = cfg.model_copy(update={"agents": [*cfg.agents, AgentSpec(name="Nia Okafor", role="agent", teams=["care"],
                                                                       discord_user_id="310000000000000001")]})
    runtime = Runtime.build(listed, database=database_url)  # start-up sync: the id moves to the listed row
    try:
        with runtime.sessions() as session:
            rows = {a.name: (a.discord_user_id, a.role.value, a.active) for a in session.scalars(select(Agent))}
        assert rows["Nia Okafor"] == ("310000000000000001", "agent", True)
        assert rows["Nia"] == (None, "lead", False)
    finally:
        runtime.close()
