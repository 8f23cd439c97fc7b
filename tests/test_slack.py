"""Slack end to end: the real Bolt endpoint under uvicorn, signed requests, a fake Slack Web API.

mention → webhook → card posted by the poster → signed button presses / dialog submissions /
thread messages / slash commands to ``POST /slack/events`` → actions → card updated. Every
database test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.desk import actions
from bot.core.config import Agent as AgentSpec
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from handlers.slack import cards
from handlers.slack.app import SlackAdapter
from storage.db import transaction
from storage.models import Case, CaseMessage, CaseState, Event, OutboxEntry
from tests.conftest import ServerThread, mention
from tests.fakes.slack_api import TEAM_ID, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ANA, BEN, DEV, FARAH = "U0ANA00001", "U0BEN00001", "U0DEV00001", "U0FARAH001"
BAGGAGE, CARE, PR = "C0BAGS0001", "C0CARE0001", "C0PRPR0001"
BAG_TEXT = "@SkylarkAir my bag never arrived in Madrid, please help"


def wait_until(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class Desk:
    """The running system: fake Slack, the mentiondesk server, and helpers to act like Slack."""

    def __init__(self, runtime: Runtime, fake: FakeSlack, fake_url: str, server_url: str, adapter: SlackAdapter):
        self.runtime, self.fake, self.fake_url, self.url, self.adapter = runtime, fake, fake_url, server_url, adapter
        self.http = httpx.Client(base_url=server_url, timeout=20)

    # --- requests as Slack sends them ------------------------------------------------------------

    def send(self, body: bytes, content_type: str, headers: dict | None = None, **sign_kw) -> httpx.Response:
        return self.http.post("/slack/events", content=body,
                              headers={"Content-Type": content_type, **sign(body, **sign_kw), **(headers or {})})

    def interaction(self, payload: dict, headers: dict | None = None, **sign_kw) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.send(body, "application/x-www-form-urlencoded", headers, **sign_kw)

    def press(self, action_id: str, case_id: int, user: str, *, channel: str = BAGGAGE, ts: str = "1.0",
              action_ts: str | None = None, headers: dict | None = None, client: httpx.Client | None = None,
              **sign_kw) -> httpx.Response:
        payload = {
            "type": "block_actions", "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID}, "api_app_id": "A0MENTION1",
            "token": "legacy-token-unused", "trigger_id": f"{time.time():.6f}.trigger",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel, "name": "team"}, "message": {"type": "message", "ts": ts},
            "response_url": f"{self.fake_url}/response/press",
            "actions": [{"type": "button", "action_id": action_id, "block_id": f"case:{case_id}",
                         "value": str(case_id), "action_ts": action_ts or f"{time.time():.6f}"}],
        }
        if client is not None:
            body = urlencode({"payload": json.dumps(payload)}).encode()
            return client.post("/slack/events", content=body,
                               headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body, **sign_kw)})
        return self.interaction(payload, headers, **sign_kw)

    def submit(self, view: dict, user: str, values: dict) -> httpx.Response:
        """Submit a dialog as Slack does: state.values[block_id][action_id] = element state.

        A str is a text input's value, a dict an element state (e.g. ``{"selected_option": ...}``),
        None an untouched element."""
        def state(v):
            if isinstance(v, str):
                return {"type": "plain_text_input", "value": v}
            return v if v is not None else {"type": "static_select", "selected_option": None}
        submitted = {**view, "state": {"values": {block: {"value": state(v)} for block, v in values.items()}}}
        return self.interaction({"type": "view_submission", "team": {"id": TEAM_ID, "domain": "fake"},
                                 "user": {"id": user, "team_id": TEAM_ID}, "api_app_id": "A0MENTION1",
                                 "token": "legacy-token-unused", "trigger_id": "t.1", "view": submitted})

    def event(self, event: dict, event_id: str, headers: dict | None = None) -> httpx.Response:
        body = json.dumps({"token": "legacy-token-unused", "team_id": TEAM_ID, "api_app_id": "A0MENTION1",
                           "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
                           "event": event}).encode()
        return self.send(body, "application/json", headers)

    def command(self, user: str, text: str) -> httpx.Response:
        body = urlencode({"token": "legacy-token-unused", "team_id": TEAM_ID, "channel_id": CARE,
                          "user_id": user, "user_name": user.lower(), "command": "/mentiondesk", "text": text,
                          "response_url": f"{self.fake_url}/response/cmd", "trigger_id": "t.2",
                          "api_app_id": "A0MENTION1"}).encode()
        return self.send(body, "application/x-www-form-urlencoded")

    # --- state -----------------------------------------------------------------------------------

    def ingest(self, *mentions: dict) -> list[dict]:
        response = self.http.post("/ingest", json=list(mentions))
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def card(self, channel: str, case_id: int) -> dict:
        """The card of a case in the fake channel (waits for it to be posted)."""
        def find():
            for message in self.fake.cards(channel):
                if f"case #{case_id}" in message["text"]:
                    return message
            return None
        return wait_until(find, what=f"card of case {case_id} in {channel}")

    def events(self, case_id: int, type: str | None = None) -> list[Event]:
        with self.runtime.sessions() as session:
            query = select(Event).where(Event.case_id == case_id).order_by(Event.id)
            if type:
                query = query.where(Event.type == type)
            return list(session.scalars(query))

    def case(self, case_id: int) -> Case:
        with self.runtime.sessions() as session:
            return session.get(Case, case_id)


def card_text(message: dict) -> str:
    """All the mrkdwn a card shows, as one string."""
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if element.get("type") == "mrkdwn":
                parts.append(element["text"])
    return "\n".join(parts)


def button_ids(message: dict) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def build_desk(config, database_url, *, retry_every: float = 10.0, policy=None):
    fake = FakeSlack()
    fake_server = ServerThread(fake.app).__enter__()
    settings = Settings(database_url=database_url, slack_bot_token=SecretStr(fake.token),
                        slack_signing_secret=SecretStr(SECRET), slack_app_token=None,
                        slack_api_url=fake_server.url + "/api/", webhook_token=None)
    runtime = Runtime.build(config, database=database_url, settings=settings)
    adapter = SlackAdapter(runtime, retry_every=retry_every, policy=policy)
    adapter.poster.backoff = 0.01
    app = create_app(runtime, slack=adapter)
    server = ServerThread(app).__enter__()
    adapter.start()  # ServerThread runs uvicorn without lifespan, so start the worker here
    desk = Desk(runtime, fake, fake_server.url, server.url, adapter)

    def close():
        desk.http.close()
        adapter.stop()
        server.__exit__()
        fake_server.__exit__()
        runtime.close()

    return desk, close


@pytest.fixture
def desk(config, database_url):
    d, close = build_desk(config, database_url)
    yield d
    close()


def open_bag_case(desk: Desk, id: str = "m1", **kw) -> tuple[int, dict]:
    result = desk.ingest(mention(id, BAG_TEXT, **kw))[0]
    assert result["case_id"], result
    return result["case_id"], desk.card(BAGGAGE, result["case_id"])


# --- the whole flow ------------------------------------------------------------------------------


def test_mention_card_claim_reply_sent(desk):
    case_id, card = open_bag_case(desk)
    text = card_text(card)
    assert "P1" in text and f"case #{case_id}" in text and "Madrid" in text and "Traveller" in text
    assert button_ids(card) == [cards.CLAIM, cards.ESCALATE, cards.REPLY, cards.NOT_ACTIONABLE, cards.FIX_TRIAGE]
    assert {e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]} == {str(case_id)}
    # The poster records "posted" just after Slack accepted the card.
    wait_until(lambda: desk.events(case_id, "posted"), what="posted event")
    assert [e.type for e in desk.events(case_id)] == ["received", "triaged", "posted"]

    # Reply before claiming: told at once, no dialog opens.
    desk.press(cards.REPLY, case_id, ANA, ts=card["ts"])
    early = wait_until(lambda: desk.fake.ephemerals, what="claim-first ephemeral")[0]
    assert "claim the case before replying" in early["text"] and desk.fake.views == []

    started = time.perf_counter()
    response = desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    assert response.status_code == 200 and time.perf_counter() - started < 1.5
    updated = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE)
                                       if m["ts"] == card["ts"] and "Claimed by" in card_text(m)), None),
                         what="card shows the claim")
    assert f"Claimed by <@{ANA}>" in card_text(updated) and "after arrival" in card_text(updated)
    assert cards.CLAIM not in button_ids(updated) and cards.RESOLVE in button_ids(updated)
    thread = wait_until(lambda: desk.fake.thread(BAGGAGE, card["ts"]), what="thread line")
    assert f"Claimed by <@{ANA}>" in thread[0]["text"]
    assert desk.case(case_id).state == CaseState.CLAIMED

    # Reply: the button opens the dialog; a too-long or blocked text is refused inside the dialog.
    assert desk.press(cards.REPLY, case_id, ANA, ts=card["ts"]).status_code == 200
    view = wait_until(lambda: desk.fake.views, what="reply dialog")[-1]
    assert view["callback_id"] == "reply_modal"
    too_long = desk.submit(view, ANA, {"reply_text": "x" * 281, "reply_visibility": None})
    assert too_long.status_code == 200
    assert too_long.json()["response_action"] == "errors" and "280" in too_long.json()["errors"]["reply_text"]
    blocked = desk.submit(view, ANA, {"reply_text": "Send us your card number"})
    assert blocked.json()["response_action"] == "errors" and "card number" in blocked.json()["errors"]["reply_text"]
    empty = desk.submit(view, ANA, {"reply_text": ""})
    assert "empty" in empty.json()["errors"]["reply_text"]

    ok = desk.submit(view, ANA, {"reply_text": "So sorry! DM us your file reference and we'll chase it."})
    assert ok.status_code == 200 and not ok.content  # empty ack closes the dialog
    queued = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE)
                                      if m["ts"] == card["ts"] and "Reply queued" in card_text(m)), None),
                        what="card shows the reply queued")
    assert "Reply queued" in card_text(queued)
    with desk.runtime.sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
    assert entry.text.startswith("So sorry!") and entry.state.value == "pending" and entry.platform == "x"

    # The relay (a later issue) delivers the reply; the card follows.
    with transaction(desk.runtime.sessions) as session:
        assert actions.mark_reply_sent(session, entry.id, external_id="1799999").ok
    desk.adapter.poster.refresh(case_id)
    sent = next(m for m in desk.fake.cards(BAGGAGE) if m["ts"] == card["ts"])
    assert "Reply sent ✓" in card_text(sent)
    assert desk.case(case_id).state == CaseState.REPLIED
    assert len(desk.fake.cards(BAGGAGE)) == 1  # updated in place, never re-posted


# --- exactly once under concurrency ---------------------------------------------------------------


@pytest.fixture
def crowd_desk(config, database_url):
    extra = [AgentSpec(name=f"Agent {i:02d}", role="agent", teams=["baggage"], slack_user_id=f"U0CROWD{i:03d}")
             for i in range(20)]
    d, close = build_desk(config.model_copy(update={"agents": [*config.agents, *extra]}), database_url)
    yield d
    close()


def test_twenty_concurrent_claim_presses_one_owner_nineteen_ephemerals(crowd_desk):
    desk = crowd_desk
    case_id, card = open_bag_case(desk)
    users = [f"U0CROWD{i:03d}" for i in range(20)]
    barrier = threading.Barrier(20)
    statuses: dict[str, int] = {}

    def press(user: str) -> None:
        with httpx.Client(base_url=desk.url, timeout=20) as client:
            barrier.wait()
            statuses[user] = desk.press(cards.CLAIM, case_id, user, ts=card["ts"], client=client).status_code

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert set(statuses.values()) == {200} and len(statuses) == 20

    ephemerals = wait_until(lambda: len(desk.fake.ephemerals) >= 19 and desk.fake.ephemerals, what="19 ephemerals")
    time.sleep(0.3)  # nothing more may arrive
    claimed = desk.events(case_id, "claimed")
    assert len(claimed) == 1
    winner = next(u for u in users if f"Agent {users.index(u):02d}" == claimed[0].actor)
    assert len(desk.fake.ephemerals) == 19
    assert {e["user"] for e in ephemerals} == set(users) - {winner}
    assert all(f"already claimed by <@{winner}>" in e["text"] for e in ephemerals)
    assert len(desk.events(case_id, "refused")) == 19
    assert desk.case(case_id).assignee_id == claimed[0].actor_agent_id


# --- untrusted text ------------------------------------------------------------------------------


def test_injection_strings_render_inert_in_the_posted_card(desk):
    evil = ("@SkylarkAir my bag is lost <!channel> <!here> <!everyone> <@U0DEV00001> "
            "<https://evil.example|yourbank.com> & *bold* please help")
    data = mention("evil1", evil, handle="mallory")
    data["author"]["name"] = "<!here> Mallory"
    result = desk.ingest(data)[0]
    card = desk.card(BAGGAGE, result["case_id"])
    text = json.dumps(card["blocks"]) + card["text"]
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U0DEV00001>", "<https://evil.example"):
        assert raw not in text, raw
    shown = card_text(card)
    assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example|yourbank.com&gt;" in shown
    assert "&amp; *bold*" in shown and "&lt;!here&gt; Mallory" in shown


def test_a_huge_mention_still_fits_in_a_card(desk):
    # "&" grows five-fold when escaped: cut on the escaped length or Slack refuses the card.
    result = desk.ingest(mention("huge1", BAG_TEXT + " " + "&<" * 4000))[0]
    card = desk.card(BAGGAGE, result["case_id"])
    quote = card["blocks"][2]["text"]["text"]
    assert 2900 < len(quote) <= 3000 and quote.endswith("…")


def test_escaping_rules():
    from handlers.slack.escape import link, mrkdwn, user_mention

    assert mrkdwn("a & b <!here> >") == "a &amp; b &lt;!here&gt; &gt;"
    assert mrkdwn("&lt;") == "&amp;lt;"  # already-escaped looking text stays literal
    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://x.com/a|b>c", "<post>") == "<https://x.com/a%7Cb&gt;c|&lt;post&gt;>"
    assert user_mention("U0ANA00001", "Ana") == "<@U0ANA00001>"
    assert user_mention("<!channel>", "<b>") == "&lt;b&gt;"


# --- request authenticity and retries -------------------------------------------------------------


def test_forged_or_stale_signatures_get_401_and_change_nothing(desk):
    case_id, card = open_bag_case(desk)
    assert desk.press(cards.CLAIM, case_id, ANA, secret="wrong-secret").status_code == 401
    assert desk.press(cards.CLAIM, case_id, ANA, timestamp=int(time.time()) - 3600).status_code == 401
    body = urlencode({"payload": "{}"}).encode()
    unsigned = desk.http.post("/slack/events", content=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert unsigned.status_code == 401
    time.sleep(0.2)
    assert desk.events(case_id, "claimed") == [] and desk.events(case_id, "refused") == []
    assert desk.case(case_id).state == CaseState.OPEN


def test_retried_deliveries_do_not_duplicate(desk):
    case_id, card = open_bag_case(desk)
    # The same mention again (a webhook retry): no second case, no second card.
    assert desk.ingest(mention("m1", BAG_TEXT))[0]["duplicate"] is True
    desk.adapter.worker.wait_idle()

    # A press delivered twice (same action_ts), the second marked as a retry.
    assert desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"], action_ts="1700000000.000001").status_code == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"], action_ts="1700000000.000001",
                      headers=retry).status_code == 200

    # A thread message event delivered twice.
    note = {"type": "message", "channel": BAGGAGE, "user": BEN, "text": "Customer called the hotline too",
            "ts": f"{time.time():.6f}", "thread_ts": card["ts"], "channel_type": "channel"}
    assert desk.event(note, "Ev0NOTE0001").status_code == 200
    assert desk.event(note, "Ev0NOTE0001", headers=retry).status_code == 200

    wait_until(lambda: desk.events(case_id, "note"), what="note")
    time.sleep(0.4)
    assert len(desk.events(case_id, "claimed")) == 1 and desk.events(case_id, "refused") == []
    notes = desk.events(case_id, "note")
    assert len(notes) == 1 and notes[0].payload["text"] == "Customer called the hotline too"
    assert notes[0].actor == "Ben Carter"
    assert desk.fake.ephemerals == []
    assert len(desk.fake.cards(BAGGAGE)) == 1
    # Notes stay internal: nothing about them was sent to Slack (only the claim's thread line).
    assert all("hotline" not in m["text"] for m in desk.fake.channel(BAGGAGE))
    with desk.runtime.sessions() as session:
        assert len(session.scalars(select(CaseMessage)).all()) == 1


# --- roles ---------------------------------------------------------------------------------------


def test_role_refusals_are_ephemeral_and_recorded(desk):
    case_id, card = open_bag_case(desk)
    assert desk.press(cards.CLAIM, case_id, FARAH, ts=card["ts"]).status_code == 200
    ephemeral = wait_until(lambda: desk.fake.ephemerals, what="ephemeral")[0]
    assert ephemeral["user"] == FARAH and ephemeral["channel"] == BAGGAGE
    assert "only agent, lead, pr can claim cases" in ephemeral["text"]
    refused = desk.events(case_id, "refused")
    assert len(refused) == 1 and refused[0].actor == "Farah Haddad" and refused[0].payload["code"] == "forbidden"

    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.events(case_id, "claimed"), what="claim")
    assert desk.command(BEN, f"reassign {case_id} <@{BEN}|ben>").status_code == 200
    answer = wait_until(lambda: desk.fake.responses, what="command answer")[-1]
    assert answer["response_type"] == "ephemeral" and "only leads can reassign" in answer["text"]
    assert [e.payload["action"] for e in desk.events(case_id, "refused")] == ["claim", "reassign"]

    assert desk.command(DEV, f"reassign {case_id} <@{BEN}|ben>").status_code == 200
    wait_until(lambda: len(desk.fake.responses) == 2, what="second answer")
    assert "now belongs to Ben Carter" in desk.fake.responses[-1]["text"]
    assert desk.events(case_id, "reassigned")[0].actor == "Dev Patel"


def test_escalate_dialog_moves_the_card_to_the_new_team(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.ESCALATE, case_id, ANA, ts=card["ts"])
    view = wait_until(lambda: desk.fake.views, what="escalate dialog")[-1]
    assert view["callback_id"] == "escalate_modal"
    missing = desk.submit(view, ANA, {"escalate_team": None, "escalate_level": None, "escalate_reason": " "})
    assert set(missing.json()["errors"]) == {"escalate_team", "escalate_reason"}
    response = desk.submit(view, ANA, {"escalate_team": {"selected_option": {"value": "pr"}},
                                       "escalate_level": {"selected_option": {"value": "pr"}},
                                       "escalate_reason": "A journalist <!here> asks"})
    assert response.status_code == 200
    pr_card = desk.card(PR, case_id)
    assert "team *pr*" in card_text(pr_card)
    old = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE) if "Escalated to" in card_text(m)), None),
                     what="old card updated")
    assert "Escalated to *pr (pr)*" in card_text(old) and "&lt;!here&gt;" in card_text(old)
    assert desk.case(case_id).state == CaseState.ESCALATED
    # The new team's card arrives with a handoff in its thread: PR pinged, the reason, the history.
    handoff = wait_until(lambda: desk.fake.thread(PR, pr_card["ts"]), what="handoff in the new card's thread")
    text = handoff[0]["text"]
    assert "<@U0ERIN0001>" in text  # Erin Walsh, role pr
    assert "&lt;!here&gt;" in text and "<!here>" not in text  # the reason is inert
    for event_type in ("received", "triaged", "escalated"):
        assert f" {event_type} by " in text


def test_fix_triage_dialog_corrects_the_case_and_refreshes_the_card(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.FIX_TRIAGE, case_id, ANA, ts=card["ts"])
    view = wait_until(lambda: desk.fake.views, what="fix triage dialog")[-1]
    assert view["callback_id"] == "triage_modal"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    # The dialog starts at what triage said, and offers the configured topics.
    assert blocks["fix_intent"]["element"]["initial_option"]["value"] == desk.case(case_id).intent
    assert "refund" in [o["value"] for o in blocks["fix_topic"]["element"]["options"]]
    response = desk.submit(view, ANA, {"fix_intent": {"selected_option": {"value": "urgent"}},
                                       "fix_topic": {"selected_option": {"value": "refund"}},
                                       "fix_note": "she needs the refund today"})
    assert response.status_code == 200
    corrected = wait_until(lambda: desk.events(case_id, "triage_corrected"), what="correction recorded")[0]
    assert corrected.payload["to"]["intent"] == "urgent" and corrected.payload["to"]["topic"] == "refund"
    assert corrected.actor == "Ana Ortiz" and corrected.source == "slack"
    updated = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE)
                                       if "topic *refund*" in card_text(m)), None), what="card refreshed")
    assert "urgent" in card_text(updated)
    # A supervisor cannot: told privately, recorded, nothing changed.
    desk.press(cards.FIX_TRIAGE, case_id, FARAH, ts=card["ts"])
    view = wait_until(lambda: len(desk.fake.views) >= 2 and desk.fake.views, what="second dialog")[-1]
    desk.submit(view, FARAH, {"fix_intent": {"selected_option": {"value": "praise"}}, "fix_topic": None,
                              "fix_note": None})
    refused = wait_until(lambda: [e for e in desk.events(case_id, "refused")
                                  if e.payload.get("action") == "correct_triage"], what="refusal recorded")
    assert refused[0].payload["code"] == "forbidden"
    assert wait_until(lambda: [m for m in desk.fake.ephemerals if "correct triage" in m["text"]],
                      what="ephemeral refusal")
    assert desk.case(case_id).intent == "urgent"


def test_slash_command_queue_mine_stats(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.events(case_id, "claimed"), what="claim")
    for text in ("queue", "mine", "stats", "help"):
        assert desk.command(ANA, text).status_code == 200
    answers = wait_until(lambda: len(desk.fake.responses) >= 4 and desk.fake.responses, what="answers")
    by_text = [a["text"] for a in answers]
    assert any(f"#{case_id}" in t and "Open cases" in t for t in by_text)
    assert any("Your open cases" in t and f"#{case_id}" in t for t in by_text)
    assert any("Median time to claim" in t and "claimed 1" in t for t in by_text)
    assert any("reassign" in t for t in by_text)


# --- posting: rate limits, outages, retries ------------------------------------------------------


def test_card_post_retries_rate_limits_then_stays_pending_until_slack_recovers(desk):
    desk.fake.fail("chat.postMessage", "ratelimited", times=2, retry_after=0)
    case_id, card = open_bag_case(desk)
    assert len(desk.fake.calls_of("chat.postMessage")) == 3  # two 429s, then accepted
    desk.adapter.worker.wait_idle()  # its periodic pass (retries, missing cards) must not race the next part

    desk.fake.fail("chat.postMessage", "500", times=3)
    second = desk.ingest(mention("m2", "@SkylarkAir flight SK212 cancelled, need a refund now", handle="other"))[0]
    desk.adapter.worker.wait_idle()
    with desk.runtime.sessions() as session:
        row = session.scalars(select(CaseMessage).where(CaseMessage.case_id == second["case_id"])).one()
    assert row.state.value == "pending" and row.message_id is None and row.last_error == "http_500"
    assert not any(f"case #{second['case_id']}" in m["text"] for m in desk.fake.cards(CARE))

    # Slack is back: the retry pass posts it, once.
    with transaction(desk.runtime.sessions) as session:
        session.get(CaseMessage, row.id).next_attempt_at = None
    assert desk.adapter.poster.retry_pending() == 1
    assert desk.adapter.poster.retry_pending() == 0
    assert len([m for m in desk.fake.cards(CARE) if f"case #{second['case_id']}" in m["text"]]) == 1
    assert len(desk.events(second["case_id"], "posted")) == 1


def test_cases_stored_without_notification_still_get_their_card(desk):
    """E.g. ingested by the CLI or by another replica that crashed before posting."""
    from bot.core.mention import parse_mention

    # The worker's own periodic pass looks for missing cards too: stopped, so that only the
    # call below can post it (under a loaded machine the pass ran first now and then).
    desk.adapter.worker.stop()
    with transaction(desk.runtime.sessions) as session:
        outcome = desk.runtime.ingest.ingest(session, parse_mention(mention("quiet1", BAG_TEXT)))
    time.sleep(0.2)
    assert not desk.fake.cards(BAGGAGE)
    assert desk.adapter.poster.post_missing() == 1
    assert desk.adapter.poster.post_missing() == 0
    assert len(desk.fake.cards(BAGGAGE)) == 1 and f"case #{outcome.case_id}" in desk.fake.cards(BAGGAGE)[0]["text"]


def test_server_mounts_slack_from_the_environment_only_with_a_signing_secret(config, tmp_path):
    from starlette.testclient import TestClient

    fake = FakeSlack()
    with ServerThread(fake.app) as fake_server:
        url = f"sqlite:///{tmp_path / 'env.db'}"
        base = dict(database_url=url, slack_bot_token=SecretStr(fake.token), slack_app_token=None,
                    slack_api_url=fake_server.url + "/api/", webhook_token=None)
        runtime = Runtime.build(config, database=url, settings=Settings(**base, slack_signing_secret=SecretStr(SECRET)))
        app = create_app(runtime)
        assert app.state.slack is not None
        body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"}).encode()
        with TestClient(app) as client:  # runs the lifespan: the poster worker starts and stops
            ok = client.post("/slack/events", content=body, headers={"Content-Type": "application/json", **sign(body)})
            assert ok.status_code == 200 and "c-123" in ok.text
            forged = client.post("/slack/events", content=body,
                                 headers={"Content-Type": "application/json", **sign(body, secret="nope")})
            assert forged.status_code == 401
        runtime.close()

        runtime = Runtime.build(config, database=url, settings=Settings(**base, slack_signing_secret=None))
        app = create_app(runtime)  # a bot token without a signing secret or app token: no Slack
        with TestClient(app) as client:
            assert client.post("/slack/events", content=body).status_code == 404
        runtime.close()


def test_manifest_matches_the_app():
    from pathlib import Path

    import yaml

    manifest = yaml.safe_load((Path(__file__).parent.parent / "handlers" / "slack" / "manifest.yaml").read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "users:read", "channels:history", "groups:history"} <= scopes
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            *(c["url"] for c in manifest["features"]["slash_commands"])]
    assert all(u.endswith("/slack/events") for u in urls)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/mentiondesk"]
    assert "message.channels" in settings["event_subscriptions"]["bot_events"]
    assert settings["interactivity"]["is_enabled"] is True


def test_concurrent_posters_post_a_card_once(desk):
    """Several replicas (or a retry pass and a notification) racing to post the same card."""
    from bot.core.mention import parse_mention
    from handlers.slack.poster import CardPoster

    with transaction(desk.runtime.sessions) as session:
        case_id = desk.runtime.ingest.ingest(session, parse_mention(mention("race1", BAG_TEXT))).case_id
    posters = [CardPoster(desk.runtime.sessions, desk.adapter.client) for _ in range(6)]
    barrier = threading.Barrier(len(posters))
    results = []

    def post(poster):
        barrier.wait()
        results.append(poster.post_case(case_id))

    threads = [threading.Thread(target=post, args=(p,)) for p in posters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len([r for r in results if r]) == 1
    assert len([m for m in desk.fake.cards(BAGGAGE) if f"case #{case_id}" in m["text"]]) == 1
    assert len(desk.events(case_id, "posted")) == 1


def test_canned_reply_then_resolve_closes_the_card(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.events(case_id, "claimed"), what="claim")
    desk.press(cards.REPLY, case_id, ANA, ts=card["ts"])
    view = wait_until(lambda: desk.fake.views, what="reply dialog")[-1]
    canned = next(b for b in view["blocks"] if b.get("block_id") == "reply_canned")
    assert [o["value"] for o in canned["element"]["options"]][:2] == ["apology_delay", "baggage_trace"]
    response = desk.submit(view, ANA, {"reply_text": "", "reply_canned": {"selected_option": {"value": "baggage_trace"}},
                                       "reply_visibility": {"selected_option": {"value": "private"}}})
    assert response.status_code == 200 and not response.content
    wait_until(lambda: desk.events(case_id, "reply_queued"), what="reply queued")
    with desk.runtime.sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
    assert entry.text.startswith("Sorry your bag didn't arrive") and entry.visibility.value == "private"

    desk.press(cards.RESOLVE, case_id, BEN, ts=card["ts"])  # not the owner
    refusal = wait_until(lambda: desk.fake.ephemerals, what="refusal")[0]
    assert refusal["user"] == BEN and "only the owner (Ana Ortiz) or a lead" in refusal["text"]
    desk.press(cards.RESOLVE, case_id, ANA, ts=card["ts"])
    closed = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE) if "Resolved by" in card_text(m)), None),
                        what="card closed")
    assert button_ids(closed) == [cards.FIX_TRIAGE] and desk.case(case_id).state == CaseState.RESOLVED


def test_socket_mode_uses_the_same_listeners(config, tmp_path):
    """With SLACK_APP_TOKEN (and no public URL) presses arrive over a websocket, not HTTP."""
    from tests.fakes.slack_socket import FakeSocketMode

    socket_server = FakeSocketMode().start()
    fake = FakeSlack(socket_url=socket_server.url)
    url = f"sqlite:///{tmp_path / 'socket.db'}"
    with ServerThread(fake.app) as fake_server:
        settings = Settings(database_url=url, slack_bot_token=SecretStr(fake.token), slack_signing_secret=None,
                            slack_app_token=SecretStr(fake.app_token), slack_api_url=fake_server.url + "/api/",
                            webhook_token=None)
        runtime = Runtime.build(config, database=url, settings=settings)
        adapter = SlackAdapter(runtime)
        assert not adapter.verifies_requests  # no HTTP endpoint without a signing secret
        adapter.start()
        try:
            assert socket_server.connected.wait(10)
            from bot.core.mention import parse_mention

            case_id = runtime.ingest_batch([parse_mention(mention("sock1", BAG_TEXT))])[0].case_id
            card = wait_until(lambda: next(iter(fake.cards(BAGGAGE)), None), what="card")
            payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": ANA, "team_id": TEAM_ID},
                       "api_app_id": "A0MENTION1", "token": "unused", "trigger_id": "t.s",
                       "channel": {"id": BAGGAGE}, "container": {"type": "message", "message_ts": card["ts"]},
                       "actions": [{"type": "button", "action_id": cards.CLAIM, "value": str(case_id),
                                    "action_ts": "1700000001.000001"}]}
            socket_server.send({"envelope_id": "env-1", "type": "interactive", "accepts_response_payload": True,
                                "payload": payload, "retry_attempt": 0, "retry_reason": ""})
            wait_until(lambda: "env-1" in socket_server.acks, what="ack over the socket")
            updated = wait_until(lambda: next((m for m in fake.cards(BAGGAGE) if "Claimed by" in card_text(m)), None),
                                 what="card updated")
            assert f"Claimed by <@{ANA}>" in card_text(updated)
        finally:
            adapter.stop()
            socket_server.stop()
            runtime.close()


def test_a_closed_reply_dialog_keeps_the_draft_the_card_shows_the_drafter_and_reopening_offers_it(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.case(case_id).state == CaseState.CLAIMED, what="claimed")
    desk.press(cards.REPLY, case_id, ANA, ts=card["ts"])
    view = wait_until(lambda: desk.fake.views, what="reply dialog")[-1]
    assert view["notify_on_close"] is True
    drafting = wait_until(lambda: next((m for m in desk.fake.cards(BAGGAGE) if m["ts"] == card["ts"]
                                        and "Ana Ortiz is drafting a reply" in card_text(m)), None),
                          what="card shows the drafter")
    assert drafting is not None
    closed = {**view, "state": {"values": {"reply_text": {"value": {"type": "plain_text_input",
                                                                    "value": "Half a reply about your bag"}}}}}
    response = desk.interaction({"type": "view_closed", "team": {"id": TEAM_ID, "domain": "fake"},
                                 "user": {"id": ANA, "team_id": TEAM_ID}, "api_app_id": "A0MENTION1",
                                 "token": "legacy-token-unused", "view": closed, "is_cleared": False})
    assert response.status_code == 200
    wait_until(lambda: desk.events(case_id, "draft_saved"), what="draft saved")
    desk.press(cards.REPLY, case_id, ANA, ts=card["ts"])
    again = wait_until(lambda: len(desk.fake.views) >= 2 and desk.fake.views, what="second dialog")[-1]
    text_block = next(b for b in again["blocks"] if b.get("block_id") == "reply_text")
    assert text_block["element"]["initial_value"] == "Half a reply about your bag"
