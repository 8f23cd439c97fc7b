"""Ingest on real databases (SQLite and PostgreSQL): dedupe, cases, customers, the event log."""

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.core.mention import parse_mention
from storage.models import AppendOnlyError, Case, Customer, Event, Mention
from storage.queries import funnel_counts

from tests.conftest import mention

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=timezone.utc)


def ingest(runtime, *items):
    return runtime.ingest_batch([parse_mention(i) for i in items], now=NOW)


def count(runtime, model):
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_same_mention_twice_is_stored_once(runtime):
    data = mention("100", "@SkylarkAir my bag is missing in Lisbon")
    first = ingest(runtime, data)[0]
    again = ingest(runtime, data, dict(data, text="edited text, same id"))
    assert not first.duplicate and first.new_case
    assert [o.duplicate for o in again] == [True, True]
    assert count(runtime, Mention) == 1 and count(runtime, Case) == 1
    # The same id on another platform is another mention.
    assert not ingest(runtime, dict(data, platform="webhook"))[0].duplicate


def test_concurrent_ingest_of_one_mention_stores_it_once(runtime):
    data = mention("200", "@SkylarkAir stranded at DEN!!")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        barrier.wait()
        try:
            results.append(ingest(runtime, data)[0].duplicate)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if runtime.engine.dialect.name == "sqlite":
        # SQLite serialises writers; a writer may time out but never double-stores.
        assert all("locked" in str(e) for e in errors)
    else:
        assert not errors
    assert results.count(False) == 1
    assert count(runtime, Mention) == 1 and count(runtime, Case) == 1


def test_case_stores_priority_explanation_and_events(runtime):
    outcome = ingest(runtime, mention("300", "@SkylarkAir SK212 emergency landing, smoke in the cabin!", followers=90_000))[0]
    with runtime.sessions() as s:
        case = s.get(Case, outcome.case_id)
        assert case.tier.value == "tier1" and case.intent == "crisis" and case.team == "pr"
        assert case.priority == outcome.result.score > 400  # the crisis band
        factors = {r["factor"]: r for r in case.priority_reasons}
        assert set(factors) == {"band", "intent", "negativity", "influence", "crm_value", "open_conversation", "waiting"}
        assert factors["band"]["points"] == 400 and factors["band"]["detail"] == "crisis band"
        assert sum(r["weight"] * r["value"] for r in case.priority_reasons) == pytest.approx(case.priority, abs=0.05)
        events = s.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)).all()
        assert [e.type for e in events] == ["received", "triaged"]
        assert events[1].payload["intent"] == "crisis" and events[1].actor == "triage"
        assert case.opened_at == NOW and events[0].created_at == NOW


def test_spam_and_noise_are_stored_without_a_case(runtime):
    outcomes = ingest(
        runtime,
        mention("400", "FREE crypto giveaway #SkylarkAir click here http://a.example http://b.example"),
        mention("401", "RT @SkylarkAir: new route!"),
        mention("402", "@SkylarkAir where is my refund?"),
    )
    assert [o.result.tier for o in outcomes] == ["spam", "noise", "tier1"]
    assert [o.case_id is not None for o in outcomes] == [False, False, True]
    with runtime.sessions() as s:
        assert funnel_counts(s) == {"tier1": 1, "tier2": 0, "noise": 1, "spam": 1}
        spam = s.scalars(select(Mention).where(Mention.external_id == "400")).one()
        assert spam.tier.value == "spam" and spam.reasons and spam.raw["id"] == "400"


def test_follow_up_in_the_conversation_joins_the_open_case(runtime):
    first = ingest(runtime, mention("500", "@SkylarkAir can I change my flight to Friday?", handle="ana"))[0]
    reply = ingest(runtime, mention("501", "@SkylarkAir still nothing?? this is ridiculous", handle="ana",
                                    conversation_id="500", in_reply_to_id="500"))[0]
    thanks = ingest(runtime, mention("502", "@SkylarkAir ok", handle="ana", conversation_id="500"))[0]
    assert reply.case_id == first.case_id == thanks.case_id and not reply.new_case
    with runtime.sessions() as s:
        case = s.get(Case, first.case_id)
        assert case.intent == "complaint"  # upgraded by the angrier follow-up
        assert case.priority == max(first.result.score, reply.result.score)
        assert len(case.mentions) == 3
        assert [e.type for e in case.events].count("received") == 3


def test_returning_customer_is_one_customer_with_history(runtime):
    first = ingest(runtime, mention("600", "@SkylarkAir my bag is missing", handle="Ana_B", followers=10))[0]
    second = ingest(runtime, mention("601", "@SkylarkAir and now my seat was changed without asking!", handle="ana_b",
                                     followers=12))[0]
    assert first.case_id != second.case_id
    factors = {c.factor: c for c in second.result.contributions}
    assert factors["open_conversation"].value == 1.0
    assert count(runtime, Customer) == 1
    with runtime.sessions() as s:
        customer = s.scalars(select(Customer)).one()
        assert customer.followers == 12 and [h.handle for h in customer.handles] == ["ana_b"]


def test_event_log_is_append_only(runtime):
    ingest(runtime, mention("700", "@SkylarkAir where is my refund?"))
    with runtime.sessions() as s, s.begin():
        event = s.scalars(select(Event)).first()
        event.type = "tampered"
        with pytest.raises(AppendOnlyError):
            s.flush()
        s.rollback()
    with runtime.sessions() as s, s.begin():
        with pytest.raises(AppendOnlyError):
            s.delete(s.scalars(select(Event)).first())
            s.flush()


def test_failed_batch_stores_nothing(runtime, monkeypatch):
    good = parse_mention(mention("800", "@SkylarkAir where is my refund?"))
    boom = parse_mention(mention("801", "@SkylarkAir how do I check in?"))
    classifier = runtime.ingest.pipeline.classifier
    original = classifier.classify_many

    def failing(items):
        if any(m.external_id == "801" for m, _ in items):
            raise RuntimeError("classifier crashed")
        return original(items)

    monkeypatch.setattr(classifier, "classify_many", failing)
    with pytest.raises(RuntimeError):
        runtime.ingest_batch([good, boom], now=NOW)
    assert count(runtime, Mention) == 0 and count(runtime, Case) == 0 and count(runtime, Event) == 0


def test_directory_synced_from_config(runtime):
    from storage.models import Agent, Team

    with runtime.sessions() as s:
        teams = {t.name: t for t in s.scalars(select(Team))}
        assert teams["baggage"].slack_channel == "C0BAGS0001"
        dev = s.scalars(select(Agent).where(Agent.name == "Dev Patel")).one()
        assert dev.role.value == "lead" and {t.name for t in dev.teams} == {"care", "baggage", "digital"}


def test_unbranded_follow_up_after_a_restart_joins_the_case(runtime, config):
    from bot.app.runtime import Runtime

    first = ingest(runtime, mention("600", "@SkylarkHelp my bag didn't arrive on SK405", handle="mara"))[0]
    # A new process: the pipeline's memory is empty, only storage knows the conversation.
    restarted = Runtime.build(config, database=runtime.engine.url.render_as_string(hide_password=False))
    try:
        follow_up = ingest(restarted, mention("601", "Update: bag located in Lisbon, still no delivery date 😩",
                                               handle="mara", conversation_id="600", in_reply_to_id="600"))[0]
    finally:
        restarted.close()
    assert follow_up.result.tier == "tier1", follow_up.result.reasons
    assert follow_up.case_id == first.case_id


def test_reply_in_the_same_batch_joins_the_case_opened_by_its_root(runtime):
    root = mention("900", "@SkylarkHelp my bag didn't arrive on SK405, file DEN-1", handle="mara")
    reply = mention("901", "Update: still nothing and the office is closed 😩", handle="mara",
                    conversation_id="900", in_reply_to_id="900")
    first, second = ingest(runtime, root, reply)
    assert first.new_case and second.result.tier == "tier1"
    assert second.case_id == first.case_id and not second.new_case


def test_concurrent_batches_sharing_authors_all_land(config, pg_database_url):
    """Two replicas ingesting batches with the same authors in opposite orders: no deadlock
    reaches the caller (authors are locked in one order; a rolled-back batch is run again)."""
    import threading

    from bot.core.mention import parse_mention
    from bot.app.runtime import Runtime as RT

    runtimes = [RT.build(config, database=pg_database_url) for _ in range(2)]
    authors = [f"flyer_{i}" for i in range(20)]
    errors: list[BaseException] = []

    def feed(worker: int) -> None:
        try:
            for round_ in range(8):
                order = authors if worker == 0 else list(reversed(authors))
                batch = [parse_mention({"platform": "x", "id": f"w{worker}-r{round_}-{a}", "author": {"handle": a,
                         "followers": round_ * 10 + worker},
                         "text": f"@SkylarkAir my bag is lost again, help ({worker}/{round_})"}) for a in order]
                runtimes[worker].ingest_batch(batch)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=feed, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert errors == []
        with runtimes[0].sessions() as session:
            assert session.scalar(select(func.count()).select_from(Mention)) == 2 * 8 * 20
    finally:
        for rt in runtimes:
            rt.close()
