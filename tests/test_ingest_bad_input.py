"""Issue 17, item 7: values that validated but failed at the INSERT (500) are refused up front.

Each case is posted to the real server, on SQLite and PostgreSQL, inside a batch with a good
mention: the answer is a 4xx naming the item and the field, and nothing of the batch is stored.
"""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from bot.core.mention import MentionError
from bot.app.server import create_app
from storage.models import Case, Customer, Event, Mention

from tests.conftest import ServerThread, mention


@pytest.fixture
def served(runtime):
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime


def counts(runtime) -> tuple[int, int, int, int]:
    with runtime.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Mention, Case, Event, Customer))


def post_raw(url: str, raw: str | bytes) -> httpx.Response:
    return httpx.post(url + "/ingest", content=raw, headers={"content-type": "application/json"}, timeout=30)


GOOD = mention("good-1", "@SkylarkAir my bag never arrived at LIS, where is it?")


def with_author(**fields) -> dict:
    item = mention("bad-1", "@SkylarkAir where is my refund?")
    item["author"].update(fields)
    return item


# (name, the bad item as JSON text, the field its problem must name)
CASES = [
    ("NUL in text", json.dumps(mention("bad-1", "@SkylarkAir my bag\u0000 is lost")), "text"),
    ("NUL in author name", json.dumps(with_author(name="Ana\u0000")), "author.name"),
    ("NUL in an unknown field", json.dumps(mention("bad-1", "@SkylarkAir hi", place={"city": "L\u0000X"})),
     "place.city"),
    ("NUL in a field name", json.dumps(mention("bad-1", "@SkylarkAir hi", **{"k\u0000": 1})), "k\\x00"),
    ("unpaired surrogate", json.dumps(mention("bad-1", "@SkylarkAir hi \ud800 there")), "text"),
    ("followers beyond 32 bits", json.dumps(with_author(followers=3_000_000_000)), "author.followers"),
    ("followers beyond 64 bits", json.dumps(with_author(followers=10**20)), "author.followers"),
    ("NaN in an unknown field", json.dumps(mention("bad-1", "@SkylarkAir hi", score=float("nan"))), "score"),
    ("Infinity by overflow", json.dumps(mention("bad-1", "@SkylarkAir hi"))[:-1] + ', "ratio": 1e999}', "ratio"),
    ("integer of 5,000 digits", json.dumps(mention("bad-1", "@SkylarkAir hi"))[:-1] + ', "n": ' + "7" * 5000 + "}",
     "n"),
    ("id of 5,000 digits", json.dumps(mention("bad-1", "@SkylarkAir hi")).replace('"bad-1"', "9" * 5000, 1), "id"),
    ("date past year 9999 in UTC", json.dumps(mention("bad-1", "@SkylarkAir hi",
                                                      created_at="9999-12-31T23:59:59-05:00")), "created_at"),
    ("date before year 1 in UTC", json.dumps(mention("bad-1", "@SkylarkAir hi",
                                                     created_at="0001-01-01T00:00:00+05:00")), "created_at"),
    ("nesting 100,000 levels deep", json.dumps(mention("bad-1", "@SkylarkAir hi"))[:-1]
     + ', "thread": ' + "[" * 100_000 + "]" * 100_000 + "}", "thread"),
    ("nesting 40 levels deep", json.dumps(mention("bad-1", "@SkylarkAir hi"))[:-1]
     + ', "thread": ' + "[" * 40 + "]" * 40 + "}", "thread"),
]


@pytest.mark.parametrize("name, bad, field", CASES, ids=[c[0] for c in CASES])
def test_unstorable_value_is_a_4xx_naming_item_and_field_and_stores_nothing(served, name, bad, field):
    server, runtime = served
    before = counts(runtime)
    response = post_raw(server.url, "[" + json.dumps(GOOD) + ", " + bad + "]")
    assert response.status_code == 422, (name, response.status_code, response.text[:500])
    body = response.json()
    assert "nothing was stored" in body["error"]
    assert any(p.startswith(f"[1] {field}") for p in body["problems"]), body["problems"]
    assert counts(runtime) == before
    # The server is still up and stores the good mention on its own.
    assert post_raw(server.url, json.dumps(GOOD)).status_code == 200
    assert counts(runtime)[0] == before[0] + 1


def test_largest_storable_follower_count_is_stored(served):
    server, runtime = served
    response = post_raw(server.url, json.dumps(with_author(followers=2**31 - 1)))
    assert response.status_code == 200, response.text
    with runtime.sessions() as session:
        assert session.scalar(select(Mention.author_followers)) == 2**31 - 1


def test_single_object_problems_name_the_field_without_an_index(served):
    server, runtime = served
    response = post_raw(server.url, json.dumps(with_author(followers=10**20)))
    assert response.status_code == 422
    assert response.json()["problems"][0].startswith("author.followers:")


def test_file_replay_lines_get_the_same_checks():
    from bot.core.mention import parse_mention_json

    line = json.dumps(mention("r1", "@SkylarkAir hi"))[:-1] + ', "n": ' + "7" * 5000 + "}"
    with pytest.raises(MentionError) as caught:
        parse_mention_json(line)
    assert caught.value.problems == ["n: a number of 5000 digits (at most 64)"]
    deep = json.dumps(mention("r2", "@SkylarkAir hi"))[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    with pytest.raises(MentionError, match=r"x\[0\].*nested deeper than 32 levels"):
        parse_mention_json(deep)


def test_the_size_limit_is_exactly_1000000_bytes(served):
    """The README says "body over 1,000,000 bytes": padding (JSON whitespace) to exactly the limit is
    accepted, one byte more is 413 whether or not Content-Length is declared."""
    server, runtime = served
    one = json.dumps(mention("size-1", "@SkylarkAir where is my bag?")).encode()
    assert post_raw(server.url, one + b" " * (1_000_000 - len(one))).status_code == 200
    two = json.dumps(mention("size-2", "@SkylarkAir where is my bag?")).encode()
    over = two + b" " * (1_000_001 - len(two))
    assert post_raw(server.url, over).status_code == 413

    def streamed():
        for start in range(0, len(over), 65_536):
            yield over[start:start + 65_536]
    assert post_raw(server.url, streamed()).status_code == 413
    assert counts(runtime)[0] == 1
