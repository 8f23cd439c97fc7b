"""Property-based guards (hypothesis), issue 17: the mention schema, ``/ingest`` on SQLite and
PostgreSQL, and ``/slack/events`` request parsing never fail with a 500 or half-store anything,
whatever the input.

Seeded and short: ``derandomize=True`` (the same examples every run, so CI is reproducible) and
a ``max_examples`` that keeps each test well under 20 s; no example database is written.
Strings include NUL and unpaired surrogates, numbers go past 64 bits and include NaN and
infinities, dates leave the calendar when converted to UTC, values nest past the depth limit.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.core import storable
from bot.core.mention import MAX_FOLLOWERS, MentionError, parse_mention
from bot.app.server import create_app
from storage.models import Case, Event, Mention
from tests.conftest import ServerThread, mention
from tests.test_slack import ANA, BAGGAGE, TEAM_ID, build_desk, sign

SEEDED = dict(derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])

# --- strategies ----------------------------------------------------------------------------------

# The values that once got past validation are drawn often, not left to chance.
HAZARD_TEXT = st.sampled_from(["\x00", "bag\x00lost", "\ud800", "a\udfffb", "<!channel>", " ", ""])
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30) | HAZARD_TEXT  # NUL, lone surrogates
HAZARD_NUMBERS = st.sampled_from([3_000_000_000, 10**20, MAX_FOLLOWERS, MAX_FOLLOWERS + 1, -1, 2**63,
                                  float("nan"), float("inf"), -float("inf"), 1e308])
NUMBERS = st.integers(-(2**80), 2**80) | HAZARD_NUMBERS | st.floats(allow_nan=True, allow_infinity=True)
SCALARS = st.none() | st.booleans() | NUMBERS | ANY_TEXT
JSON = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(ANY_TEXT, kids, max_size=3),
                    max_leaves=12)
DATES = (st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2026-11-20T10:00:00Z",
                          "2026-11-20T10:00:00", "2026-02-30T10:00:00Z", "not a date", ""])
         | st.builds(lambda d, minutes: d.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat(),
                     st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
                     st.integers(-1439, 1439)))
NESTED = st.integers(1, 60).map(lambda depth: json.loads("[" * depth + "]" * depth))

FIELD_VALUES = {
    "id": ANY_TEXT | NUMBERS | JSON, "text": ANY_TEXT | JSON, "platform": st.sampled_from(["x", "X", "myspace"]) | JSON,
    "created_at": DATES | NUMBERS | JSON, "url": ANY_TEXT | JSON, "lang": ANY_TEXT, "conversation_id": ANY_TEXT | NUMBERS,
    "in_reply_to_id": ANY_TEXT | NUMBERS, "direct": JSON,
}
AUTHOR_VALUES = {"id": ANY_TEXT | NUMBERS, "handle": ANY_TEXT | JSON, "name": ANY_TEXT | JSON,
                 "followers": NUMBERS | JSON, "verified": JSON}
_ids = iter(range(10**9))


@st.composite
def mentions(draw) -> dict:
    """A valid mention with a few fields replaced by anything, and maybe an unknown field."""
    item = mention(f"p{next(_ids)}", "@SkylarkAir where is my bag " + draw(ANY_TEXT), handle=f"h{next(_ids)}")
    for field in draw(st.sets(st.sampled_from(sorted(FIELD_VALUES)), max_size=3)):
        item[field] = draw(FIELD_VALUES[field])
    for field in draw(st.sets(st.sampled_from(sorted(AUTHOR_VALUES)), max_size=2)):
        item["author"][field] = draw(AUTHOR_VALUES[field])
    if draw(st.booleans()):
        item[draw(ANY_TEXT)] = draw(JSON | NESTED)
    return item


def assert_storable(parsed) -> None:
    assert storable.problems(parsed.raw) == []
    json.dumps(parsed.raw, allow_nan=False)  # what the JSON column will hold
    for text in (parsed.text, parsed.external_id, parsed.author_handle, parsed.author_name, parsed.author_id,
                 parsed.url, parsed.conversation_id, parsed.in_reply_to_id, parsed.lang):
        if text is not None:
            assert "\x00" not in text
            text.encode("utf-8")  # raises on an unpaired surrogate
    assert 0 <= parsed.author_followers <= MAX_FOLLOWERS
    assert parsed.created_at.utcoffset() == timedelta(0)


# --- the mention schema (no database: many examples) ---------------------------------------------


@settings(max_examples=400, **SEEDED)
@given(mentions())
def test_a_mention_either_parses_into_something_storable_or_names_its_problems(item):
    try:
        parsed = parse_mention(item)
    except MentionError as exc:
        assert exc.problems and all(isinstance(p, str) and ": " in p for p in exc.problems)
    else:
        assert_storable(parsed)


@settings(max_examples=300, **SEEDED)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_decoding_any_bytes_raises_only_what_the_webhook_answers_with_a_4xx(raw):
    try:
        storable.problems(storable.loads(raw))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError and TooDeep are ValueErrors: 400 / 422
        pass


# --- /ingest on both databases -----------------------------------------------------------------------


@pytest.fixture
def served(runtime):
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime


def counts(runtime) -> tuple[int, int, int]:
    with runtime.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Mention, Case, Event))


@settings(max_examples=60, **SEEDED)
@given(batch=st.lists(mentions(), min_size=1, max_size=3), as_object=st.booleans())
def test_ingest_answers_200_or_a_4xx_and_never_half_stores(served, batch, as_object):
    server, runtime = served
    before = counts(runtime)
    body = json.dumps(batch[0] if as_object else batch, allow_nan=True)
    response = httpx.post(server.url + "/ingest", content=body, headers={"content-type": "application/json"},
                          timeout=30)
    assert response.status_code in (200, 400, 422), (response.status_code, response.text[:300])
    if response.status_code == 200:
        results = response.json()["results"]
        assert counts(runtime)[0] == before[0] + sum(not r["duplicate"] for r in results)
    else:
        assert counts(runtime) == before
        problems = response.json().get("problems", [])
        if not as_object and problems:
            assert all(p.startswith("[") for p in problems), problems


# --- /slack/events request parsing -----------------------------------------------------------------


@pytest.fixture
def slack_desk(config, database_url):
    desk, close = build_desk(config, database_url)
    yield desk
    close()


CONTENT_TYPES = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""])
PAYLOAD_TYPES = st.sampled_from(["block_actions", "view_submission", "view_closed", "event_callback", "shortcut",
                                 "message_action", "block_suggestion", "url_verification"])


@st.composite
def slack_payloads(draw) -> dict:
    """Payloads shaped like Slack's, with any part replaced by anything."""
    payload = {"type": draw(PAYLOAD_TYPES), "team": {"id": TEAM_ID}, "api_app_id": "A0MENTION1",
               "user": {"id": ANA}, "channel": {"id": BAGGAGE}, "trigger_id": "1.t",
               "actions": [{"action_id": draw(st.sampled_from(["case_claim", "case_reply", "approval_approve",
                                                                 "crisis_on", "other"])),
                            "value": draw(ANY_TEXT | st.integers(0, 10**6).map(str)), "action_ts": "1.0"}],
               "view": {"id": "V1", "type": "modal", "callback_id": draw(st.sampled_from(
                   ["reply_modal", "escalate_modal", "approval_edit_modal", "other"])),
                        "private_metadata": draw(ANY_TEXT | st.just('{"case_id": 1}')), "state": {"values": {}}},
               "event": {"type": "message", "channel": BAGGAGE, "user": ANA, "ts": "1.0", "thread_ts": "0.5",
                         "text": draw(ANY_TEXT)}}
    for key in draw(st.sets(st.sampled_from(sorted(payload)), max_size=3)):
        payload[key] = draw(JSON)
    return payload


def serious(caplog) -> list[str]:
    return [r.getMessage()[:200] for r in caplog.records if r.levelno >= logging.ERROR]


@settings(max_examples=60, **SEEDED)
@given(body=st.binary(max_size=300) | ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       content_type=CONTENT_TYPES, signed=st.booleans())
def test_slack_endpoint_answers_any_body_with_a_4xx_or_200_never_500(slack_desk, caplog, body, content_type, signed):
    headers = {"Content-Type": content_type, **(sign(body) if signed else {})}
    response = slack_desk.http.post("/slack/events", content=body, headers=headers)
    if not signed:
        assert response.status_code == 401
    else:
        assert response.status_code in (200, 400, 401, 404), (response.status_code, response.text[:200])
    assert serious(caplog) == []


@settings(max_examples=60, **SEEDED)
@given(payload=slack_payloads(), as_form=st.booleans())
def test_signed_payloads_of_any_shape_are_handled_or_refused_never_500(slack_desk, caplog, payload, as_form):
    if as_form or payload.get("type") not in ("event_callback", "url_verification"):
        body = urlencode({"payload": json.dumps(payload, allow_nan=True)}).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        body, content_type = json.dumps(payload, allow_nan=True).encode(), "application/json"
    response = slack_desk.send(body, content_type)
    assert response.status_code in (200, 400, 404), (response.status_code, response.text[:200])
    time.sleep(0.02)
    slack_desk.adapter.jobs.submit(lambda: None).result(timeout=10)  # background work of this press done
    assert serious(caplog) == []
