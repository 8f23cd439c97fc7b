"""The mention JSON interface shared by file replay and the webhook."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.feeds.file_replay import BadLine, replay_file
from bot.core.mention import MentionError, parse_mention

from tests.conftest import mention


def test_minimal_mention_gets_defaults():
    parsed = parse_mention({"platform": "X", "id": 1790000000000000001, "text": "hi @SkylarkAir",
                            "author": {"handle": "ana"}},
                           received_at=datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert parsed.platform == "x"
    assert parsed.external_id == "1790000000000000001"  # numeric X ids are identifiers, kept exact
    assert parsed.conversation_id == parsed.external_id
    assert parsed.created_at == datetime(2026, 11, 20, tzinfo=timezone.utc)
    assert parsed.author_followers == 0 and parsed.author_verified is False and parsed.direct is False


def test_unknown_fields_are_kept_in_the_raw_payload():
    data = mention("7", "@SkylarkAir hello", lang="pt", place={"country": "PT"})
    parsed = parse_mention(data)
    assert parsed.raw["place"] == {"country": "PT"}
    assert parsed.lang == "pt"


def test_timestamp_without_zone_is_utc():
    parsed = parse_mention(mention("8", "x", created_at="2026-11-20T10:00:00"))
    assert parsed.created_at == datetime(2026, 11, 20, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"id": "1", "text": "a", "author": {"handle": "a"}}, "platform: required field is missing"),
        ({"platform": "x", "text": "a", "author": {"handle": "a"}}, "id: required field is missing"),
        ({"platform": "x", "id": "1", "text": "   ", "author": {"handle": "a"}}, "text"),
        ({"platform": "x", "id": "1", "text": "a", "author": {}}, "author.handle: required field is missing"),
        ({"platform": "friendster", "id": "1", "text": "a", "author": {"handle": "a"}}, "unknown platform 'friendster'"),
        ({"platform": "x", "id": "1", "text": "a", "author": {"handle": "a"}, "created_at": "yesterday"}, "created_at"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_bad_mentions_name_the_problem(data, problem):
    with pytest.raises(MentionError) as err:
        parse_mention(data)
    assert any(problem in p for p in err.value.problems), err.value.problems


def test_text_limit_is_enforced():
    with pytest.raises(MentionError) as err:
        parse_mention(mention("9", "a" * 501), max_text_chars=500)
    assert "too long" in err.value.problems[0]


def test_file_replay_yields_bad_lines_with_numbers(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"platform": "x", "id": "1", "text": "a", "author": {"handle": "a"}}\n\n[oops\n', encoding="utf-8")
    items = list(replay_file(path))
    assert len(items) == 2
    assert not isinstance(items[0], BadLine)
    assert isinstance(items[1], BadLine) and items[1].line_no == 3 and "JSON" in items[1].problem
