"""The batched ingest writer (issue 19) on SQLite and PostgreSQL: a batch is stored with a few
multi-row statements, and stores exactly what mentions ingested one by one would."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select

from bot.app.runtime import Runtime
from bot.core.config import load_config
from bot.core.mention import parse_mention
from storage import queries
from storage.models import Case, Customer, CustomerHandle, Event, Mention

from tests.conftest import example_config_text, mention

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


def test_a_batch_searches_the_indexes_instead_of_scanning_the_tables(tmp_path, config):
    """The batch's lookups by (platform, handle), (platform, conversation) and (platform,
    external id) must search their two-column indexes: a row-value IN made SQLite scan
    customer_handle and every open case once per batch, which grew with the desk (issue 19)."""
    import sqlite3

    rt = Runtime.build(config, database=f"sqlite:///{tmp_path}/plans.db")
    selects = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            selects.append((statement, parameters))

    try:
        rt.ingest_batch([parse_mention(p) for p in stream()], now=NOW)
        event.listen(rt.engine, "before_cursor_execute", keep)
        try:  # a second batch: known authors, replies in stored threads, a reply to a stored post
            rt.ingest_batch([parse_mention(p) for p in [
                mention("20", "@SkylarkAir still waiting on my Lisbon bag", handle="ana", conversation_id="1",
                        in_reply_to_id="1"),
                mention("21", "@SkylarkAir +1, SK212 again", handle="newcomer", in_reply_to_id="5"),
                mention("22", "@SkylarkAir my refund for QX7?", handle="farah")]], now=NOW)
        finally:
            event.remove(rt.engine, "before_cursor_execute", keep)
    finally:
        rt.close()
    plans = []
    with sqlite3.connect(tmp_path / "plans.db") as db:
        for statement, parameters in selects:
            plans += [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert any("USING INDEX ix_case_conversation" in line for line in plans), plans
    scans = [line for line in plans if line.split()[:2] in (["SCAN", "customer_handle"], ["SCAN", "mention"],
                                                          ["SCAN", "customer"])]
    assert not scans, scans


def test_bulk_inserted_mentions_read_back_as_given(runtime):
    """Every column of a bulk insert arrives as given, on both databases (PostgreSQL inserts the
    batch as one array per column, SQLite as VALUES rows): text in any script, JSON, times in
    UTC, NULLs; a key already stored, or given twice, is inserted once."""
    from datetime import timedelta

    from bot.desk.ingest import _row_values

    posts = [parse_mention(p) for p in stream()]
    posts.append(parse_mention({**mention("u1", "فقدت حقيبتي 😡 \\ \"quoted\" {braces} NULL", handle="Ärger"),
                                "url": "https://x.example/u1", "lang": "ar"}))
    at = datetime(2026, 11, 20, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    rows = [_row_values(p, at) for p in posts]
    rows[-1]["raw"] = {"nested": {"list": [1, 2.5, None, "ü"]}, "flag": True}
    with runtime.sessions() as s, s.begin():
        first = queries.insert_mentions_if_new(s, rows[:2])
    with runtime.sessions() as s, s.begin():
        later = queries.insert_mentions_if_new(s, rows)
    assert set(first).isdisjoint(later) and len(first) + len(later) == len({(r["platform"], r["external_id"]) for r in rows})
    with runtime.sessions() as s:
        stored = {(m.platform, m.external_id): m for m in s.scalars(select(Mention))}
    for row in rows:
        m = stored[(row["platform"], row["external_id"])]
        if (row["platform"], row["external_id"]) in later and row is not rows[4]:  # rows[4] redelivers rows[0]
            for name, value in row.items():
                got = getattr(m, name)
                assert got == value, (name, got, value)
    assert stored[("x", "u1")].received_at == at and stored[("x", "u1")].received_at.utcoffset() == timedelta(0)
    assert stored[("x", "u1")].abusive is False and stored[("x", "u1")].tier is None


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


def test_author_profiles_follow_their_latest_post(runtime):
    """The customer row keeps the profile of the author's latest post (a post without a name
    keeps the name; verified once stays verified), within a batch and across batches, written
    without loading Customer objects; one this session already held shows the new profile."""
    def post(i, followers, name, verified=False, handle="ana"):
        data = mention(str(i), f"@SkylarkAir my bag is still missing, day {i}", handle=handle, followers=followers,
                       verified=verified)
        data["author"]["name"] = name
        return parse_mention(data)

    runtime.ingest_batch([post(1, 10, "Ana B"), post(2, 12, "", verified=True), post(3, 7, "Ben", handle="ben")],
                         now=NOW)
    with runtime.sessions() as s:
        rows = {h.handle: (c.display_name, c.followers, c.verified)
                for h, c in s.execute(select(CustomerHandle, Customer).join(Customer))}
    assert rows == {"ana": ("Ana B", 12, True), "ben": ("Ben", 7, False)}
    with runtime.sessions() as s, s.begin():
        held = s.scalars(select(Customer).join(CustomerHandle).where(CustomerHandle.handle == "ana")).one()
        assert held.followers == 12
        runtime.ingest.ingest_many(s, [post(4, 15, "Ana Banks", verified=False)], now=NOW)
        assert (held.display_name, held.followers, held.verified) == ("Ana Banks", 15, True)
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 2


def test_a_person_with_two_handles_posting_in_one_batch_keeps_one_profile(runtime):
    """A customer known on two platforms posts from both in one batch: both posts update the one
    customer row (verified from either stays verified, the later post's followers win)."""
    with runtime.sessions() as s, s.begin():
        person = Customer(display_name="Ana", followers=1, verified=False)
        s.add(person)
        s.flush()
        s.add_all([CustomerHandle(customer_id=person.id, platform="bluesky", handle="ana.bsky.social"),
                   CustomerHandle(customer_id=person.id, platform="x", handle="ana")])
    on_bluesky = mention("b1", "@SkylarkAir my bag is still missing", handle="ana.bsky.social", followers=50,
                         verified=True, platform="bluesky")
    on_x = mention("x1", "@SkylarkAir my bag is still missing, day 3", handle="ana", followers=70)
    runtime.ingest_batch([parse_mention(on_x), parse_mention(on_bluesky)], now=NOW)
    with runtime.sessions() as s:
        rows = s.execute(select(Customer.followers, Customer.verified)).all()
    # Authors are handled in (platform, handle) order: bluesky first, then x.
    assert rows == [(70, True)]


# Routing and incident grouping in one batch (issue 19): the batch's cases are routed and grouped
# against the desk read once for the batch, updated as each case is opened; the rows must be those
# that ingesting the same posts one at a time writes, ids included.

EARLIER = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def desk_stream() -> list[dict]:
    return [
        mention("1", "@SkylarkAir my bag is missing in Lisbon, file LIS123", handle="ana"),
        mention("2", "@SkylarkAir my bag is missing in Lisbon too, no file yet", handle="ben"),
        mention("3", "@SkylarkAir flight SK212 delayed 5 hours, no information", handle="dana"),
        mention("4", "@SkylarkAir smoke in the cabin on SK99, emergency landing in Porto", handle="gil"),
        mention("5", "@SkylarkAir any update? still nothing", handle="fay", conversation_id="3", in_reply_to_id="3"),
        mention("6", "@SkylarkAir where is my refund for booking QX1? asked twice", handle="regular"),
        mention("7", "@SkylarkAir smoke in the cabin on SK99 and an emergency landing, scary", handle="hal"),
        mention("8", "@SkylarkAir a passenger was injured by the trolley, crew unsafe", handle="ivy"),
        mention("9", "@SkylarkAir my flight to Rome was cancelled, nobody answers the phone", handle="jo"),
        mention("10", "@SkylarkAir are you going to say anything about SK99??", handle="kim",
                conversation_id="4", in_reply_to_id="4"),
        mention("11", "@SkylarkAir the wifi app login fails again", handle="lee"),
        mention("12", "@SkylarkAir late again, SK212 delayed, staff rude", handle="mo"),
    ]


def prepare_desk(rt: Runtime) -> None:
    """The same desk before either run: safety in crisis, one customer whose last case Ana had,
    and an open unowned care case in the queue."""
    from bot.desk.actions import Actor
    from bot.desk.crisis import set_topic_mode
    from storage.models import Agent, CaseState

    with rt.sessions() as s, s.begin():
        assert set_topic_mode(s, rt.config, "safety", "crisis", Actor("system", "test", name="test"), now=EARLIER).ok
    rt.ingest_batch([parse_mention(mention("h1", "@SkylarkAir refund still missing for booking QX0", handle="regular",
                                           created_at="2026-11-20T08:00:00Z")),
                     parse_mention(mention("h2", "@SkylarkAir my booking QX9 shows the wrong seat", handle="nina",
                                           created_at="2026-11-20T08:00:00Z"))], now=EARLIER)
    with rt.sessions() as s, s.begin():
        ana = s.scalar(select(Agent).where(Agent.name == "Ana Ortiz"))
        first = s.scalar(select(Case).join(Mention, Mention.case_id == Case.id).where(Mention.external_id == "h1"))
        first.assignee_id, first.state, first.claimed_at = ana.id, CaseState.CLAIMED, EARLIER


def desk_rows(rt: Runtime) -> dict:
    """Cases, their routing and incidents, and the event log, ids included (mention and customer
    ids differ: a batch stores its posts and new customers in author order, so they are named by
    external id and handle)."""
    with rt.sessions() as s:
        ext = dict(s.execute(select(Mention.id, Mention.external_id)).all())
        handle = dict(s.execute(select(CustomerHandle.customer_id, CustomerHandle.handle)).all())
        filed = sorted((ext[m.id], m.case_id) for m in s.scalars(select(Mention)))
        cases = [(c.id, c.tier.value, c.intent, round(c.priority, 6), c.topic, c.team, c.state.value, c.assignee_id,
                  c.parent_id, c.routing, c.claimed_at, c.abusive, handle[c.customer_id], c.opened_at)
                 for c in s.scalars(select(Case).order_by(Case.id))]

        def named(payload):
            payload = dict(payload or {})
            if "mention_id" in payload:
                payload["mention_id"] = ext[payload["mention_id"]]
            return payload

        events = [(e.id, e.case_id, e.type, e.actor, named(e.payload), e.created_at)
                  for e in s.scalars(select(Event).order_by(Event.id))]
    return {"filed": filed, "cases": cases, "events": events}


@pytest.fixture
def desk_config(tmp_path_factory):
    """The example config as shipped: routing, crisis mode and incident grouping on."""
    path = tmp_path_factory.mktemp("desk") / "config.yaml"
    path.write_text(example_config_text(routing=True), encoding="utf-8")
    return load_config(path)


def desk_runtime(config, url: str, escalate: bool) -> Runtime:
    rt = Runtime.build(config, database=url)
    if escalate:  # the escalation snapshot as a third case opener, as `mentiondesk serve` runs it
        from escalation.map import load_escalation_map

        rt.enable_escalation(load_escalation_map(None, config), start=False)
    return rt


@pytest.mark.parametrize("escalate", [False, True], ids=["routing", "routing+escalation"])
def test_a_batch_routes_and_groups_as_one_by_one(desk_config, database_url, tmp_path, escalate):
    config = desk_config
    posts = [parse_mention(p) for p in desk_stream()]
    batched = desk_runtime(config, database_url, escalate)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    try:
        prepare_desk(batched)
        event.listen(batched.engine, "before_cursor_execute", count)
        try:
            outcomes = batched.ingest_batch(posts, now=NOW)
        finally:
            event.remove(batched.engine, "before_cursor_execute", count)
        one = desk_rows(batched)
    finally:
        batched.close()
    second = None
    if database_url.startswith("sqlite"):
        other_url = f"sqlite:///{tmp_path}/one-by-one.db"
    else:
        from tests.conftest import _fresh_pg_database

        second = _fresh_pg_database()
        other_url = next(second)
    single = desk_runtime(config, other_url, escalate)
    try:
        prepare_desk(single)
        for post in posts:
            single.ingest_batch([post], now=NOW)
        assert desk_rows(single) == one
    finally:
        single.close()
        if second is not None:
            second.close()

    opened = sum(o.new_case for o in outcomes)
    by_ext = {p.external_id: o for p, o in zip(posts, outcomes)}
    cases = {c[0]: c for c in one["cases"]}
    routing = {c[0]: c[9] for c in one["cases"]}
    steps = {case_id: {s["step"]: s for s in (r or {}).get("steps", [])} for case_id, r in routing.items()}
    # Replies joined cases opened earlier in the batch (a care case, and a crisis case already assigned).
    assert by_ext["5"].case_id == by_ext["3"].case_id and not by_ext["5"].new_case
    assert by_ext["10"].case_id == by_ext["4"].case_id and not by_ext["10"].new_case
    # Incidents: a second lost bag and a second smoke report became children of the batch's first ones.
    assert cases[by_ext["2"].case_id][8] == by_ext["1"].case_id
    assert cases[by_ext["7"].case_id][8] == by_ext["4"].case_id
    assert ("grouped" in {e[2] for e in one["events"] if e[1] == by_ext["7"].case_id})
    # Crisis: safety cases go to PR, auto-assigned; the second sees the first in Erin's caseload.
    crisis = [by_ext["4"].case_id, by_ext["8"].case_id]
    assert [cases[c][5] for c in crisis] == ["pr", "pr"] and all(cases[c][6] == "claimed" for c in crisis)
    assert all(routing[c]["crisis"] for c in crisis)
    # The customer whose last case Ana had: routed to Ana by the last_agent step.
    assert steps[by_ext["6"].case_id]["last_agent"]["outcome"] != "skipped", steps[by_ext["6"].case_id]
    # Several cases to the same team in one batch.
    teams = [cases[by_ext[x].case_id][5] for x in ("3", "9", "12")]
    assert teams.count("care") >= 2, teams
    # A few statements for the batch's cases, not several per case; a case auto-assigned (PR in a
    # crisis) still writes the batch so far, locks its agent and reads the desk again (~10 more).
    auto = sum(1 for c in one["cases"] if c[7] is not None and c[10] == NOW)
    assert opened >= 9 and auto == 2
    assert len(statements) <= 25 + 12 * auto, (opened, len(statements), statements)
    if escalate:
        started = {e[1] for e in one["events"] if e[2] == "escalation_started"}
        assert started and all(c[0] in started for c in one["cases"] if c[13] == NOW), started


def test_two_replicas_auto_assigning_whole_batches_never_pass_a_cap(pg_database_url):
    """Two replicas each ingest a batch of cases that auto-assign to one agent: the batches are
    routed against their own desk snapshot, but each assignment still locks the agent and reads
    the committed caseloads again, so the cap holds across both (PostgreSQL, two runtimes)."""
    import threading

    from tests.routing_fixtures import routing_config

    # Sunday 03:00: in baggage (auto mode) only Dev Patel is on shift; his cap is 5.
    sunday = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
    runtimes = [Runtime.build(routing_config(), database=pg_database_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def feed(worker: int) -> None:
        try:
            batch = [parse_mention(mention(f"r{worker}-{n}", f"@SkylarkAir my bag never arrived on SK{400 + 10 * worker + n}, "
                                           f"please help. Thanks, {'ABCDEFGH'[n]}{worker}", handle=f"crowd{worker}_{n}"))
                     for n in range(6)]
            barrier.wait()
            runtimes[worker].ingest_batch(batch, now=sunday)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=feed, args=(w,)) for w in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        with runtimes[0].sessions() as s:
            cases = s.scalars(select(Case).where(Case.team == "baggage")).all()
            assigned = [c for c in cases if c.assignee_id is not None]
            assert len(cases) == 12 and len(assigned) == 5 and len({c.assignee_id for c in assigned}) == 1
            assert len({c.id for c in cases}) == 12
            assigned_events = s.scalar(select(func.count()).select_from(Event).where(Event.type == "assigned"))
            assert assigned_events == 5
    finally:
        for rt in runtimes:
            rt.close()


def test_a_batch_does_not_hold_its_authors_rows_while_it_works(config, pg_database_url):
    """A known author's profile is written at the end of the batch, just before its commit: a
    second replica's batch by the same author goes through while the first is still triaging
    and filing its own (it used to wait for the whole of the other batch), and the profile of
    the batch that commits last is kept (PostgreSQL, two runtimes)."""
    import threading

    runtimes = [Runtime.build(config, database=pg_database_url) for _ in range(2)]

    def post(key, followers):
        return parse_mention(mention(key, f"@SkylarkAir my bag is still missing ({key})", handle="ana",
                                     followers=followers))

    try:
        runtimes[0].ingest_batch([post("p0", 10)], now=NOW)  # ana is known from here on
        working, release = threading.Event(), threading.Event()
        slow = runtimes[0].ingest.pipeline
        triage_many = slow.triage_many

        def triage_slowly(*args, **kwargs):  # the first replica's batch, in the middle of its work
            working.set()
            assert release.wait(30)
            return triage_many(*args, **kwargs)

        slow.triage_many = triage_slowly
        errors: list[BaseException] = []

        def first() -> None:
            try:
                runtimes[0].ingest_batch([post("p1", 20)], now=NOW)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=first)
        thread.start()
        assert working.wait(30)
        done = threading.Event()
        second = threading.Thread(target=lambda: (runtimes[1].ingest_batch([post("p2", 30)], now=NOW), done.set()))
        second.start()
        assert done.wait(20), "the second batch waited for the first one's lock on ana's row"
        release.set()
        thread.join(30)
        second.join(30)
        assert errors == []
        with runtimes[1].sessions() as s:
            followers = s.scalars(select(Customer.followers).join(CustomerHandle)
                                  .where(CustomerHandle.handle == "ana")).one()
            stored = s.scalar(select(func.count()).select_from(Mention))
        assert (followers, stored) == (20, 3)  # the first batch committed last: its profile stands
    finally:
        for rt in runtimes:
            rt.close()

