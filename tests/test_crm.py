"""Customer 360: CRM import and merging, the "same person" action, and the CRM lookup webhook
against a local fake CRM on 127.0.0.1 (slow, garbage, down, good answers)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.desk.case_view import load_card
from bot.app.cli.main import app
from bot.core.config import parse_config
from bot.core.config_crm import CrmSettings
from bot.crm.importer import CrmFileError, import_rows
from bot.crm.lookup import CrmLookup
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from handlers.slack.cards import render_card
from storage.db import transaction
from storage.models import Case, Customer, CustomerHandle, Event
from tests.conftest import ServerThread, mention
from tests.routing_fixtures import routing_config, routing_config_text

MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ANA, FARAH = "U0ANA00001", "U0FARAH001"


@pytest.fixture
def rt(database_url):
    runtime = Runtime.build(routing_config(), database=database_url)
    yield runtime
    runtime.close()


def ingest(rt, id, text, *, platform="x", handle="maria_g", **kw) -> Case:
    outcome = rt.ingest_batch([parse_mention(mention(id, text, platform=platform, handle=handle, **kw))], now=MON_10)[0]
    assert outcome.case_id is not None
    with rt.sessions() as session:
        return session.get(Case, outcome.case_id)


def card_text(rt, case_id) -> str:
    with rt.sessions() as session:
        return str(render_card(load_card(session, case_id)))


CSV = """crm_id,tier,value,email,x,discord
C-1,Gold,2500,Maria@Example.com,@maria_g,maria_d
C-2,silver,lots,,someone,
C-3,bronze,10,,,maria_d
"""


def test_crm_import_merges_identities_and_feeds_card_and_priority(rt):
    first = ingest(rt, "1", "@SkylarkAir my bag never arrived, please help")
    second = ingest(rt, "d1", "@SkylarkAir is the app down? can you help", platform="discord", handle="maria_d")
    assert first.customer_id != second.customer_id
    with transaction(rt.sessions) as session:
        actions.resolve(session, first.id, resolve_actor(session, "slack", ANA), now=MON_10)  # auto-assigned to Ana
        report = import_rows(session, CSV, name="crm.csv")
    assert (report.rows, report.created, report.updated, report.merged) == (3, 0, 1, 1)
    assert report.problems == [(3, "value must be a number, not 'lots'"),
                               (4, "an identity already belongs to CRM record C-1")]
    with rt.sessions() as session:
        customer = session.scalars(select(Customer).where(Customer.crm_id == "C-1")).one()
        handles = sorted((h.platform, h.handle) for h in session.scalars(
            select(CustomerHandle).where(CustomerHandle.customer_id == customer.id)))
        assert (customer.crm_tier, customer.crm_value) == ("gold", 2500)
        assert handles == [("discord", "maria_d"), ("email", "maria@example.com"), ("x", "maria_g")]
        assert {c.customer_id for c in session.scalars(select(Case))} == {customer.id}
        assert session.scalars(select(Customer).where(Customer.crm_id == "C-2")).first() is None

    third = ingest(rt, "2", "@SkylarkAir flight SK212 delayed, can you help me rebook?")
    crm = next(r for r in third.priority_reasons if r["factor"] == "crm_value")
    assert crm["detail"] == "CRM tier gold" and crm["points"] == 7.5
    text = card_text(rt, third.id)
    assert "CRM gold" in text and "value 2,500" in text
    assert f"#{first.id} X 23 Nov: resolved, " in text and "Ana Ortiz" in text  # earlier case with its agent
    assert f"*Also open:* 1 other case(s) of this customer (#{second.id})" in text
    # Importing the same file again changes nothing.
    with transaction(rt.sessions) as session:
        again = import_rows(session, CSV, name="crm.csv")
    assert (again.created, again.merged, again.updated) == (0, 0, 1)


def test_crm_import_rescores_the_customers_open_cases(rt):
    open_case = ingest(rt, "r1", "@SkylarkAir flight SK212 delayed, can you help me rebook?", handle="vip_lena")
    closed = ingest(rt, "r2", "@SkylarkAir my bag never arrived, please help", handle="vip_lena")
    other = ingest(rt, "r3", "@SkylarkAir the app is down, can you help", handle="someone_else")
    with transaction(rt.sessions) as session:
        session.get(Case, closed.id).state = type(closed.state).RESOLVED  # a case closed before the import
        before = {c: session.get(Case, c).priority for c in (open_case.id, closed.id, other.id)}
        report = import_rows(session, "crm_id,tier,value,x\nC-9,platinum,9000,vip_lena\n", name="crm.csv",
                             priority=rt.config.priority)
    assert report.rescored == 1
    with rt.sessions() as session:
        case = session.get(Case, open_case.id)
        crm = next(r for r in case.priority_reasons if r["factor"] == "crm_value")
        assert crm["detail"] == "CRM tier platinum" and crm["points"] == 10.0
        assert case.priority == round(before[open_case.id] + 10.0, 1)
        assert session.get(Case, closed.id).priority == before[closed.id]  # closed cases keep their history
        assert session.get(Case, other.id).priority == before[other.id]
        event = session.scalars(select(Event).where(Event.case_id == case.id, Event.type == "crm_rescored")).one()
    assert event.payload["priority_before"] == before[open_case.id] and event.payload["crm_id"] == "C-9"
    # The same file again: nothing changes, nothing more is recorded.
    with transaction(rt.sessions) as session:
        assert import_rows(session, "crm_id,tier,value,x\nC-9,platinum,9000,vip_lena\n", name="crm.csv",
                           priority=rt.config.priority).rescored == 0


def test_crm_file_errors_name_the_problem(rt):
    with transaction(rt.sessions) as session:
        with pytest.raises(CrmFileError, match="unknown column\\(s\\) phone"):
            import_rows(session, "crm_id,phone\nC-1,123\n", name="crm.csv")
        with pytest.raises(CrmFileError, match="at least crm_id"):
            import_rows(session, "tier,value\ngold,1\n", name="crm.csv")


def test_same_person_action_merges_two_customers_and_is_recorded(rt):
    case = ingest(rt, "1", "@SkylarkAir my bag never arrived, please help")
    ingest(rt, "i1", "@SkylarkAir app login broken, can you help", platform="instagram", handle="maria.insta")
    with transaction(rt.sessions) as session:
        ana = resolve_actor(session, "slack", ANA)
        missing = actions.same_person(session, case.id, ana, other_platform="instagram", handle="nobody", now=MON_10)
        refused = actions.same_person(session, case.id, resolve_actor(session, "slack", FARAH), other_platform="instagram",
                                      handle="maria.insta", now=MON_10)
        done = actions.same_person(session, case.id, ana, other_platform="instagram", handle="@Maria.Insta", now=MON_10)
    assert not missing.ok and "no customer 'nobody' on instagram" in missing.reason
    assert not refused.ok and refused.code == "forbidden"
    assert done.ok and done.event == "same_person"
    with rt.sessions() as session:
        assert len({c.customer_id for c in session.scalars(select(Case))}) == 1
        event = session.scalars(select(Event).where(Event.type == "same_person")).one()
        assert event.actor == "Ana Ortiz" and event.payload["handle"] == "@Maria.Insta"
    assert "*Also open:* 1 other case(s)" in card_text(rt, case.id)


def test_crm_import_command(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(routing_config_text(), encoding="utf-8")
    csv_file = tmp_path / "crm.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'md.db'}"
    result = CliRunner().invoke(app, ["crm", "import", str(csv_file), "--config", str(config), "--database-url", db],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "3 row(s): 1 new customer(s), 0 updated, 0 merged into another, 2 skipped; 0 open case(s) re-scored" in result.output and f"{csv_file}:3:" in result.output
    bad = CliRunner().invoke(app, ["crm", "import", str(tmp_path / "nope.csv"), "--config", str(config),
                                   "--database-url", db])
    assert bad.exit_code == 2 and "file not found" in bad.output


# --- the lookup webhook against a fake CRM -------------------------------------------------------


class FakeCrm:
    def __init__(self):
        self.requests: list[dict] = []
        self.app = Starlette(routes=[Route("/lookup", self.lookup)])

    async def lookup(self, request):
        params = dict(request.query_params)
        self.requests.append({**params, "auth": request.headers.get("authorization")})
        handle = params.get("handle")
        if handle == "slow_crm":
            await asyncio.sleep(2)
            return JSONResponse({"crm_id": "late"})
        if handle == "garbage":
            return PlainTextResponse("<html>502 bad gateway</html>")
        if handle == "half":
            return JSONResponse({"tier": "gold"})
        if handle == "down":
            return Response(status_code=503)
        if handle == "vip_flyer":
            return JSONResponse({"crm_id": "C-9", "tier": "platinum", "value": 9000})
        return Response(status_code=404)


@pytest.fixture
def fake_crm():
    fake = FakeCrm()
    with ServerThread(fake.app) as server:
        fake.url = server.url
        yield fake


def crm_config(url: str, **extra):
    crm = {"lookup_url": url + "/lookup?platform={platform}&handle={handle}", "timeout_seconds": 0.3,
           "failure_cache_seconds": 0, **extra}
    text = routing_config_text() + "crm:\n" + "".join(f"  {k}: {v!r}\n".replace("'", '"') for k, v in crm.items())
    return parse_config(load_yaml_with_lines("crm.yaml", text))


@pytest.mark.parametrize("handle, note", [
    ("slow_crm", "CRM unavailable: no answer within 0.3 s"),
    ("garbage", "CRM unavailable: unreadable answer: the answer is not JSON"),
    ("half", "CRM unavailable: unreadable answer: the answer has no crm_id"),
    ("down", "CRM unavailable: the CRM answered HTTP 503"),
])
def test_crm_failure_still_opens_the_case_with_the_note(fake_crm, database_url, handle, note, monkeypatch):
    monkeypatch.setenv("MENTIONDESK_CRM_TOKEN", "crm-secret")
    rt = Runtime.build(crm_config(fake_crm.url), database=database_url)
    try:
        started = time.monotonic()
        case = ingest(rt, "1", "@SkylarkAir my bag never arrived, please help", handle=handle)
        assert time.monotonic() - started < 1.5  # the 2 s CRM never holds ingest past its timeout
        assert case.team == "baggage" and case.routing["agent"]  # routed as usual
        crm = next(r for r in case.priority_reasons if r["factor"] == "crm_value")
        assert crm["detail"] == "no CRM record"
        with rt.sessions() as session:
            event = session.scalars(select(Event).where(Event.case_id == case.id, Event.type == "crm_lookup")).one()
        assert event.payload["ok"] is False and event.payload["note"] == note
        assert f"⚠️ {note}" in card_text(rt, case.id)
        assert fake_crm.requests[-1]["auth"] == "Bearer crm-secret"
    finally:
        rt.close()


def test_crm_answer_rescores_and_makes_a_vip(fake_crm, database_url):
    rt = Runtime.build(crm_config(fake_crm.url), database=database_url)
    try:
        plain = ingest(rt, "0", "@SkylarkAir flight SK212 delayed, can you help me rebook?", handle="unknown_person")
        case = ingest(rt, "1", "@SkylarkAir flight SK212 delayed, can you help me rebook asap?", handle="vip_flyer")
        crm = next(r for r in case.priority_reasons if r["factor"] == "crm_value")
        assert crm["detail"] == "CRM tier platinum" and crm["points"] == 10.0
        assert case.priority >= plain.priority + 9
        assert case.routing["agent"] == "Dev Patel" and case.routing["reason"] == "VIP (CRM platinum) → senior agent"
        with rt.sessions() as session:
            customer = session.get(Customer, case.customer_id)
            assert (customer.crm_id, customer.crm_tier, customer.crm_value) == ("C-9", "platinum", 9000)
        assert "CRM platinum" in card_text(rt, case.id) and "CRM unavailable" not in card_text(rt, case.id)
        # Known now: the next case of the same customer asks the CRM nothing.
        asked = len(fake_crm.requests)
        ingest(rt, "2", "@SkylarkAir another question about my booking, can you help?", handle="vip_flyer",
               conversation_id="other")
        assert len(fake_crm.requests) == asked
    finally:
        rt.close()


def test_lookup_caches_answers_and_failures(fake_crm):
    now = [0.0]
    lookup = CrmLookup(CrmSettings(lookup_url=fake_crm.url + "/lookup?handle={handle}", timeout_seconds=0.3,
                                   cache_seconds=60, failure_cache_seconds=30), clock=lambda: now[0])
    try:
        assert lookup.lookup("x", "vip_flyer").record.crm_id == "C-9"
        assert lookup.lookup("x", "VIP_flyer").cached and lookup.requests == 1
        assert lookup.lookup("x", "stranger").record is None and lookup.requests == 2  # 404: not found, no failure
        down = lookup.lookup("x", "down")
        assert down.failure == "the CRM answered HTTP 503" and lookup.requests == 3
        # While the CRM is considered down nobody waits for it: the failure is answered from memory.
        assert lookup.lookup("x", "someone_else").failure == "the CRM answered HTTP 503" and lookup.requests == 3
        now[0] = 31
        assert lookup.lookup("x", "someone_else").failure is None and lookup.requests == 4
    finally:
        lookup.close()


def test_case_with_crm_unavailable_is_posted_to_slack_with_the_note(fake_crm, database_url):
    from tests.test_slack import BAGGAGE, build_desk, card_text as slack_card_text

    desk, close = build_desk(crm_config(fake_crm.url), database_url)
    try:
        result = desk.ingest(mention("s1", "@SkylarkAir my bag never arrived, please help", handle="garbage"))[0]
        card = desk.card(BAGGAGE, result["case_id"])
        assert "CRM unavailable: unreadable answer" in slack_card_text(card)
    finally:
        close()


def test_bad_crm_settings_are_refused():
    with pytest.raises(Exception, match="must contain \\{handle\\}"):
        CrmSettings(lookup_url="http://crm.local/lookup")
    with pytest.raises(Exception, match="start with http"):
        CrmSettings(lookup_url="ftp://crm.local/{handle}")


def test_same_person_from_the_slash_command(database_url):
    from tests.test_slack import build_desk, wait_until

    desk, close = build_desk(routing_config(), database_url)
    try:
        first = desk.ingest(mention("x1", "@SkylarkAir my bag never arrived, please help", handle="maria_g"))[0]
        desk.ingest(mention("d1", "@SkylarkAir is the app down? can you help", platform="discord", handle="maria_d"))
        assert desk.command(ANA, f"same {first['case_id']} discord:maria_d").status_code == 200
        assert desk.command(ANA, "same nonsense").status_code == 200
        answers = wait_until(lambda: len(desk.fake.responses) >= 2 and desk.fake.responses, what="answers")
        texts = [a["text"] for a in answers]
        assert any(f"Case #{first['case_id']}: discord maria_d is now the same customer." == t for t in texts)
        assert any(t.startswith("Usage: `/mentiondesk same") for t in texts)
        with desk.runtime.sessions() as session:
            assert len({c.customer_id for c in session.scalars(select(Case))}) == 1
    finally:
        close()


def test_customers_named_in_the_config_are_joined_at_start(database_url):
    text = routing_config_text().replace("\nrouting:", """
customers:
  - {name: Maria G, handles: {x: "@maria_g", discord: maria_d}, email: maria@example.com, tier: gold}
  - {handles: {x: someone, instagram: someone.else}}
routing:""", 1)
    config = parse_config(load_yaml_with_lines("known.yaml", text))
    rt = Runtime.build(config, database=database_url)
    try:
        first = ingest(rt, "1", "@SkylarkAir my bag never arrived, please help")
        second = ingest(rt, "d1", "@SkylarkAir is the app down? can you help", platform="discord", handle="maria_d")
        assert first.customer_id == second.customer_id
        with rt.sessions() as session:
            customer = session.get(Customer, first.customer_id)
            assert customer.crm_tier == "gold"  # (the display name follows the latest post's profile)
        assert "*Also open:* 1 other case(s)" in card_text(rt, second.id) and "CRM gold" in card_text(rt, second.id)
    finally:
        rt.close()
    again = Runtime.build(config, database=database_url)  # applied again on every start: nothing changes
    try:
        with again.sessions() as session:
            assert len(session.scalars(select(CustomerHandle)).all()) == 5
    finally:
        again.close()


def test_a_config_customer_needs_two_identities():
    text = routing_config_text().replace("\nrouting:", "\ncustomers:\n  - {handles: {x: lonely}}\nrouting:", 1)
    with pytest.raises(Exception, match="customers\\[0\\]: name at least two of handles, email and crm_id"):
        parse_config(load_yaml_with_lines("known.yaml", text))
