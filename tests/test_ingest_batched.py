"""The batched ingest writer (issue 19) on SQLite and PostgreSQL: a batch is stored with a few
multi-row statements, and stores exactly what mentions ingested one by one would."""

from datetime import datetime, timezone

from sqlalchemy import event, func, select

from bot.app.runtime import Runtime
from bot.core.mention import parse_mention
from storage import queries
from storage.models import Case, Customer, CustomerHandle, Event, Mention

from tests.conftest import mention

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=timezone.utc)


def stream() -> list[dict]:
    """Threads, replies by other people, redeliveries, one author with several posts, spam, noise."""
    return [
        mention("1", "@SkylarkAir my bag is missing in Lisbon, file LIS123", handle="ana", followers=40),
        mention("2", "A skylark sang over the field this morning", handle="ben"),
        mention("3", "🔥 FLASH SALE Lisbon from $49 👉 bit.ly/x https://deals-x.top #SkylarkAir #a #b #c #d #e",
                handle="deals99", followers=2),
        mention("4", "@SkylarkAir same here, my suitcase never arrived either", handle="chloe",
                conversation_id="1", in_reply_to_id="1"),
        mention("1", "@SkylarkAir my bag is missing in Lisbon, file LIS123", handle="ana", followers=40),  # redelivered
        mention("5", "@SkylarkAir flight SK212 delayed 5 hours, no information", handle="diego", followers=900),
        mention("6", "@SkylarkAir any news on SK212? still at the gate", handle="emma",
                conversation_id="5", in_reply_to_id="5"),
        mention("7", "@SkylarkAir how do I add a checked bag to booking QX7?", handle="farah"),
        mention("8", "@SkylarkAir thanks, the crew on SK45 was amazing", handle="gus"),
        mention("9", "@SkylarkHelp still no answer about my bag from Lisbon", handle="hana",
                conversation_id="1", in_reply_to_id="4"),
    ]


def snapshot(rt: Runtime) -> dict:
    """What was stored, in terms that do not depend on ids."""
    with rt.sessions() as s:
        ext = dict(s.execute(select(Mention.id, Mention.external_id)).all())
        case_of = {}
        for case in s.scalars(select(Case).order_by(Case.id)):
            first = min((m for m in case.mentions), key=lambda m: m.id)
            case_of[case.id] = first.external_id
        mentions = sorted((m.external_id, m.tier.value, m.intent, round(m.score or 0, 6), m.topic,
                           case_of.get(m.case_id), m.author_handle) for m in s.scalars(select(Mention)))
        cases = sorted((case_of[c.id], c.tier.value, c.intent, round(c.priority, 6), c.team, c.state.value)
                       for c in s.scalars(select(Case)))
        events = sorted((case_of[e.case_id], e.type, ext.get((e.payload or {}).get("mention_id")))
                        for e in s.scalars(select(Event)))
        customers = sorted((h.platform, h.handle, c.followers, c.display_name)
                           for h, c in s.execute(select(CustomerHandle, Customer).join(Customer)))
        counts = s.scalar(select(func.count()).select_from(Customer))
    return {"mentions": mentions, "cases": cases, "events": events, "customers": customers, "customer_rows": counts}


def test_batched_writer_stores_what_one_by_one_stores(config, database_url, tmp_path):
    posts = [parse_mention(p) for p in stream()]
    batched = Runtime.build(config, database=database_url)
    try:
        outcomes = batched.ingest_batch(posts, now=NOW)
        assert [o.duplicate for o in outcomes] == [False] * 4 + [True] + [False] * 5
        one = snapshot(batched)
    finally:
        batched.close()
    second = None
    if database_url.startswith("sqlite"):
        other_url = f"sqlite:///{tmp_path}/one-by-one.db"
    else:
        from tests.conftest import _fresh_pg_database  # a second database on the same server

        second = _fresh_pg_database()
        other_url = next(second)
    single = Runtime.build(config, database=other_url)
    try:
        for post in posts:
            single.ingest_batch([post], now=NOW)
        assert snapshot(single) == one
    finally:
        single.close()
        if second is not None:
            second.close()  # drops it
    # Replies in the batch joined the thread's case opened earlier in the same batch: by
    # conversation (4, 9) and by the post replied to (6).
    joined = {m[0]: m[5] for m in one["mentions"]}
    assert joined["4"] == joined["9"] == "1" and joined["6"] == "5"
    assert ("1", "received", "4") in one["events"] and ("5", "received", "6") in one["events"]
    assert one["customer_rows"] == len(one["customers"])  # one customer per handle, none orphaned


def test_a_batch_takes_a_few_statements_not_one_per_mention(runtime):
    """Dedupe, customers, history and threads are looked up for the whole batch at once."""
    posts = [parse_mention(mention(str(i), f"a skylark over field number {i}", handle=f"walker{i}"))
             for i in range(120)]
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(runtime.engine, "before_cursor_execute", count)
    try:
        runtime.ingest_batch(posts, now=NOW)
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count)
    # No case opens (all noise): a handful of statements for 120 posts, not hundreds.
    assert len(statements) < 40, statements[:50]


def test_known_handles_are_reused_and_a_lost_race_leaves_no_orphan(runtime):
    """customers_for_handles finds stored handles case-insensitively, and when another ingest
    created a handle between the lookup and the insert, uses that customer and drops its own."""
    with runtime.sessions() as s, s.begin():
        queries.customers_for_handles(s, [("x", "Ana")], {("x", "ana"): {"followers": 3, "verified": False}})
    with runtime.sessions() as s, s.begin():
        first = queries.customers_for_handles(s, [("x", "ANA")], {("x", "ana"): {"followers": 9, "verified": False}})
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
        # A race: the lookup saw nothing (simulated), yet the handle exists by insert time.
        real = queries._customers_by_handle
        calls = []

        def blind_first(session, keys):
            calls.append(keys)
            return {} if len(calls) == 1 else real(session, keys)

        queries._customers_by_handle = blind_first
        try:
            again = queries.customers_for_handles(s, [("x", "ana")], {("x", "ana"): {"followers": 1, "verified": False}})
        finally:
            queries._customers_by_handle = real
        assert again[("x", "ana")].id == first[("x", "ana")].id
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
