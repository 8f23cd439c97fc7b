"""Data protection on SQLite and PostgreSQL (bot/privacy/): a customer's export holds everything
about them; forget leaves no trace of them in any table while every count still adds up;
retention erases closed cases after ``retention.days``; the commands and the leader's worker."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.app.cli.main import app
from bot.core.mention import parse_mention
from bot.privacy.erase import ERASED_EVENT, erase_expired, forget_customer
from bot.privacy.export import export_customer
from bot.privacy.retention import RetentionWorker
from storage import queries
from storage.db import FOREIGN_TABLES, transaction
from storage.models import Base, Case, Customer, Event, Mention, OutboxEntry, OutboxState
from tests.conftest import mention

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
ANA = "U0ANA00001"
# Everything that identifies Maria or is her words: none of it may survive `forget`.
MARIA = ("maria_g", "maria-post", "maria-conv", "my bag is lost", "giveaway crypto", "same here, still waiting",
         "so sorry maria")
OTHER_TEXT = "@SkylarkAir flight SK1 delayed, help"


def seed(runtime) -> dict[str, int]:
    """Maria opens a case, posts spam (no case) and writes in Omar's case; Ana answers her."""
    out = runtime.ingest_batch([
        parse_mention(mention("maria-post-1", "@SkylarkAir my bag is lost, help", handle="Maria_G",
                              conversation_id="maria-conv", url="https://x.com/Maria_G/status/1")),
        parse_mention(mention("maria-post-2", "@SkylarkAir giveaway crypto follow back f4f claim now",
                              handle="Maria_G")),
        parse_mention(mention("omar-post-1", OTHER_TEXT, handle="omar", conversation_id="omar-conv")),
    ], now=NOW)
    joined = runtime.ingest_batch([parse_mention(mention(
        "maria-post-3", "@SkylarkAir same here, still waiting", handle="maria_g", conversation_id="omar-conv",
        in_reply_to_id="omar-post-1"))], now=NOW + timedelta(minutes=1))
    maria_case, omar_case = out[0].case_id, out[2].case_id
    assert joined[0].case_id == omar_case
    with transaction(runtime.sessions) as session:
        ana = resolve_actor(session, "slack", ANA)
        assert actions.claim(session, maria_case, ana, now=NOW).ok
        assert actions.reply(session, maria_case, ana, text="So sorry Maria, we are tracing it.",
                             idempotency_key="r1", now=NOW).ok
        assert actions.note(session, maria_case, ana, text="Maria_G called too", now=NOW).ok
        assert actions.claim(session, omar_case, ana, now=NOW).ok
        assert actions.reply(session, omar_case, ana, text="@maria_g @omar we are on it", idempotency_key="r2",
                             now=NOW).ok
    return {"maria": maria_case, "omar": omar_case}


def database_text(runtime) -> str:
    """Every row of every table we own, as one lower-cased text."""
    parts = []
    with runtime.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in FOREIGN_TABLES:
                parts += [repr(tuple(row)) for row in conn.execute(select(table))]
    return "\n".join(parts).lower()


def counts(runtime) -> dict:
    with runtime.sessions() as session:
        return {"funnel": queries.funnel_counts(session),
                "cases": dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all()),
                "mentions": session.scalar(select(func.count()).select_from(Mention)),
                "customers": session.scalar(select(func.count()).select_from(Customer)),
                "outbox": session.scalar(select(func.count()).select_from(OutboxEntry))}


def test_export_holds_everything_about_the_customer(runtime):
    cases = seed(runtime)
    with runtime.sessions() as session:
        document = export_customer(session, "@maria_g", now=NOW)
    json.dumps(document)  # plain JSON
    assert [h["handle"] for c in document["customers"] for h in c["handles"]] == ["maria_g"]
    assert {m["external_id"] for m in document["mentions"]} == {"maria-post-1", "maria-post-2", "maria-post-3"}
    assert {c["id"] for c in document["cases"]} == {cases["maria"], cases["omar"]}
    assert {o["text"] for o in document["outbox"]} == {"So sorry Maria, we are tracing it.", "@maria_g @omar we are on it"}
    assert any(e["type"] == "note" and e["payload"]["text"] == "Maria_G called too" for e in document["events"])
    with runtime.sessions() as session:
        assert export_customer(session, "nobody", now=NOW)["mentions"] == []


def test_forget_leaves_no_trace_and_every_count_adds_up(runtime):
    cases = seed(runtime)
    assert all(word in database_text(runtime) for word in MARIA)
    before = counts(runtime)
    with transaction(runtime.sessions) as session:
        done = forget_customer(session, "Maria_G", platform="x", now=NOW + timedelta(hours=1))
    assert (done.customers, done.handles, done.mentions) == (1, 1, 3)
    text = database_text(runtime)
    assert [word for word in MARIA if word in text] == []
    assert OTHER_TEXT.lower() in text  # Omar's own post stays
    after = counts(runtime)
    assert after["funnel"] == before["funnel"] and after["mentions"] == before["mentions"]
    assert after["customers"] == before["customers"] and after["outbox"] == before["outbox"]
    assert sum(after["cases"].values()) == sum(before["cases"].values())
    with runtime.sessions() as session:
        # nothing written for her is sent after the erasure
        assert {o.state for o in session.scalars(select(OutboxEntry))} == {OutboxState.REJECTED}
        erased = {e.case_id: e for e in session.scalars(select(Event).where(Event.type == ERASED_EVENT))}
        assert set(erased) == {cases["maria"], cases["omar"]}
        assert erased[cases["maria"]].payload["why"] == "customer_request" and erased[cases["maria"]].payload["mentions"] == 1
        assert session.get(Case, cases["maria"]).erased_at is not None
        assert session.get(Case, cases["omar"]).erased_at is None  # Omar's case itself is not erased
        assert export_customer(session, "maria_g", now=NOW)["customers"] == []
    # forgetting again finds nothing to forget
    with transaction(runtime.sessions) as session:
        assert forget_customer(session, "maria_g", now=NOW).mentions == 0


def close(runtime, case_id, at):
    with transaction(runtime.sessions) as session:
        ana = resolve_actor(session, "slack", ANA)
        if session.get(Case, case_id).assignee_id is None:
            assert actions.claim(session, case_id, ana, now=at).ok
        assert actions.resolve(session, case_id, ana, now=at).ok


def test_retention_erases_closed_cases_after_the_period_only(runtime):
    cases = seed(runtime)
    recent = runtime.ingest_batch([parse_mention(mention("zoe-post-1", "@SkylarkAir lost my bag again, help",
                                                         handle="zoe"))], now=NOW)[0].case_id
    close(runtime, cases["maria"], NOW + timedelta(days=1))
    close(runtime, recent, NOW + timedelta(days=25))
    later = NOW + timedelta(days=32)
    with transaction(runtime.sessions) as session:
        done = erase_expired(session, days=30, now=later)
    assert done.case_ids == [cases["maria"]]
    with runtime.sessions() as session:
        assert session.get(Case, cases["maria"]).erased_at is not None
        assert session.get(Case, recent).erased_at is None and session.get(Case, cases["omar"]).erased_at is None
        spam = session.scalars(select(Mention).where(Mention.tier == "spam")).one()
        assert spam.erased_at is not None and spam.text == "[erased]"  # no case: erased by its age
        texts = {m.text for m in session.scalars(select(Mention))}
    assert "@SkylarkAir lost my bag again, help" in texts and OTHER_TEXT in texts
    assert "@SkylarkAir same here, still waiting" in texts  # Maria's post in Omar's open case stays
    # Maria still has an unerased post (in Omar's open case): her identity stays for now
    with runtime.sessions() as session:
        assert session.scalars(select(Customer).where(Customer.display_name == "Maria_G")).one()
    # idempotent: nothing more to do, no second event
    with transaction(runtime.sessions) as session:
        assert erase_expired(session, days=30, now=later).cases == 0
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(Event.type == ERASED_EVENT)) == 1
    # once Omar's case is closed and expired too, nothing of Maria is left and her identity goes
    close(runtime, cases["omar"], NOW + timedelta(days=1, hours=1))
    with transaction(runtime.sessions) as session:
        done = erase_expired(session, days=30, now=later)
    assert done.cases == 1 and done.customers == 2  # Maria and Omar
    assert [word for word in MARIA if word in database_text(runtime)] == []


def test_the_leader_worker_applies_retention(runtime):
    cases = seed(runtime)
    close(runtime, cases["maria"], NOW)
    worker = RetentionWorker(runtime.sessions, days=30, every_seconds=3600, clock=lambda: NOW + timedelta(days=40))
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with runtime.sessions() as session:
                if session.get(Case, cases["maria"]).erased_at is not None:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the retention worker erased nothing")
    finally:
        worker.stop()


def test_customer_commands(runtime, database_url, tmp_path):
    seed(runtime)
    cli = CliRunner()
    out = tmp_path / "maria.json"
    result = cli.invoke(app, ["customer", "export", "@Maria_G", "--output", str(out), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["mentions"]) == 3
    result = cli.invoke(app, ["customer", "forget", "nobody", "--yes", "--database-url", database_url])
    assert result.exit_code == 1 and "nothing is held about 'nobody'" in result.output
    result = cli.invoke(app, ["customer", "forget", "maria_g", "--database-url", database_url], input="n\n")
    assert result.exit_code == 1 and counts(runtime)["mentions"] == 4
    assert "found: x:maria_g (customer " in result.output  # who would be erased, before confirming
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Mention).where(Mention.erased_at.is_not(None))) == 0
    result = cli.invoke(app, ["customer", "forget", "maria_g", "--yes", "--by", "Dev Patel (ticket 42)",
                              "--database-url", database_url])
    assert result.exit_code == 0 and "erased maria_g: 1 case(s), 3 post(s)" in result.output
    with runtime.sessions() as session:
        assert {e.actor for e in session.scalars(select(Event).where(Event.type == ERASED_EVENT))} \
            == {"Dev Patel (ticket 42)"}
    assert [word for word in MARIA if word in database_text(runtime)] == []
    config = tmp_path / "c.yaml"
    config.write_text("brands:\n  - name: A\n    keywords: [a]\n", encoding="utf-8")
    result = cli.invoke(app, ["customer", "retention", "--config", str(config), "--database-url", database_url])
    assert result.exit_code == 2 and "retention.days" in result.output
    config.write_text("brands:\n  - name: A\n    keywords: [a]\nretention:\n  days: 30\n", encoding="utf-8")
    result = cli.invoke(app, ["customer", "retention", "--config", str(config), "--database-url", database_url])
    assert result.exit_code == 0 and "retention 30 day(s): erased" in result.output


def test_the_server_runs_retention_on_the_leader_only_when_configured(config, database_url):
    from bot.app.runtime import Runtime
    from bot.app.server import create_app

    def workers(cfg):
        runtime = Runtime.build(cfg, database=database_url)
        try:
            create_app(runtime)
            return [f.__self__ for f in runtime.leadership.on_elected if isinstance(getattr(f, "__self__", None),
                                                                                    RetentionWorker)]
        finally:
            runtime.close()

    assert workers(config) == []
    configured = config.model_copy(update={"retention": config.retention.model_copy(update={"days": 30})})
    [worker] = workers(configured)
    assert worker.days == 30 and worker.every_seconds == 3600
