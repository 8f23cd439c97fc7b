"""The project's own labeled corpus: reproducible, labeled consistently, covering what the heads need."""

from __future__ import annotations

import collections
import json
import tomllib
from pathlib import Path

import pytest

from bot.triage.model.corpus import (
    corpus_dir,
    load_banking77,
    load_mentions,
    load_sms_spam,
    load_testset,
    load_written,
    load_written_testset,
    written_files,
)
from bot.triage.model.corpus import build
from bot.triage.model.datasets import DataError


@pytest.fixture(scope="module")
def mentions():
    return load_mentions()


@pytest.fixture(scope="module")
def testset():
    return load_testset()


def test_the_generator_reproduces_the_committed_file_byte_for_byte():
    committed = (corpus_dir() / "mentions.jsonl").read_bytes()
    assert build.dump(build.build()).encode("utf-8") == committed
    assert committed.endswith(b"\n") and not committed.endswith(b"\n\n")


def test_the_readme_count_tables_are_current(mentions):
    readme = (corpus_dir() / "README.md").read_text(encoding="utf-8")
    assert build.readme_with_counts(readme, mentions) == readme
    assert f"**{len(mentions)}**" in readme


def test_rows_are_written_with_sorted_keys_and_sequential_ids(mentions):
    first = (corpus_dir() / "mentions.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert list(json.loads(first)) == sorted(json.loads(first))
    assert [row["id"] for row in mentions] == [f"c{n:06d}" for n in range(1, len(mentions) + 1)]


def test_size_and_intent_language_coverage(mentions):
    assert len(mentions) >= 8000
    langs = collections.Counter(row["lang"] for row in mentions)
    assert langs["en"] > len(mentions) / 2
    for lang in ("es", "fr", "de", "pt", "it", "ar", "ja"):
        assert langs[lang] >= 250, lang
    cells = collections.Counter((row["lang"], row["intent"]) for row in mentions)
    for lang in build.LANGS:
        for intent in build.INTENTS:
            assert cells[lang, intent] >= 5, (lang, intent)


def test_every_real_life_intent_sentiment_pair_is_there(mentions):
    pairs = collections.Counter((row["intent"], row["sentiment"]) for row in mentions)
    expected = {
        "crisis": ("negative", "neutral"), "urgent": ("negative", "neutral"),
        "complaint": ("negative", "neutral"), "question": ("neutral", "negative", "positive"),
        "praise": ("positive",), "general": ("neutral", "positive", "negative"),
        "spam": ("neutral", "positive"), "noise": ("neutral", "positive", "negative"),
    }
    for intent, sentiments in expected.items():
        for sentiment in sentiments:
            assert pairs[intent, sentiment] >= 20, (intent, sentiment)
    assert pairs["praise", "negative"] == 0  # praise is positive by definition


def test_minimum_counts_of_the_hard_cases(mentions):
    tags = collections.Counter(tag for row in mentions for tag in row["tags"])
    spam = [row for row in mentions if row["spam"]]
    assert len(spam) >= 300
    assert sum("brand_addressed_spam" in row["tags"] for row in spam) >= len(spam) / 2
    assert sum(row["abusive"] for row in mentions) >= 300
    for tag in ("sarcasm", "safety"):
        assert tags[tag] >= 300, tag
    for tag in ("violence", "discrimination", "legal_threat", "press", "vip", "emoji_only"):
        assert tags[tag] >= 100, tag
    for tag in ("mixed", "typo", "multi_sentence", "reply"):
        assert tags[tag] >= 50, tag


def test_labels_are_consistent(mentions):
    for row in mentions:
        assert row["spam"] is (row["intent"] == "spam"), row
        assert row["topic"] is None or row["topic"] in build.TOPICS, row
        assert ("brand_addressed_spam" in row["tags"]) <= row["spam"], row
        if {"violence", "discrimination", "legal_threat"} & set(row["tags"]):
            assert row["intent"] == "crisis", row
        if "safety" in row["tags"]:
            assert row["topic"] == "safety", row
        if "emoji_only" in row["tags"]:
            rest = " ".join(word for word in row["text"].split() if not word.startswith("@"))
            assert rest and not any(ch.isalnum() for ch in rest), row
        if row["intent"] in ("spam", "noise"):
            assert row["topic"] is None, row
        assert len(row["text"]) <= 280, row
    # Figurative violence is neither abusive nor a threat.
    figurative = [row for row in mentions if "killing me" in row["text"].lower()]
    assert figurative and all(not row["abusive"] and "violence" not in row["tags"] for row in figurative)


def test_sentiment_word_brands_appear_in_every_intent(mentions):
    for brand in ("@Delta", "@SpiritAirlines", "@HopeAir", "@FlyJoy", "@LoveAir", "@FreeAir", "@united"):
        intents = {row["intent"] for row in mentions if brand.lower() in row["text"].lower()}
        assert intents >= {"crisis", "urgent", "complaint", "question", "praise", "general", "spam"}, brand


def test_no_duplicate_texts(mentions):
    keys = [build.dedup_key(row) for row in mentions]
    assert len(keys) == len(set(keys))


def test_the_testset_is_separate_and_covers_every_language_and_intent(mentions, testset):
    assert len(testset) >= 320
    seen = {build.normalise(row["text"]) for row in mentions} | {build.dedup_key(row) for row in mentions}
    overlap = [row["text"] for row in testset if build.dedup_key(row) in seen]
    assert overlap == []
    cells = collections.Counter((row["lang"], row["intent"]) for row in testset)
    for lang in build.LANGS:
        assert sum(cells[lang, intent] for intent in build.INTENTS) >= 30, lang
        for intent in build.INTENTS:
            assert cells[lang, intent] >= 1, (lang, intent)
    assert len({row["id"] for row in testset}) == len(testset)


def test_written_slices_are_checked_unique_and_kept_apart_from_both_test_sets(mentions, testset):
    written = load_written()  # every row checked by load_mentions (a bad row names file:line)
    assert len(written_files()) >= 5 and len(written) >= 3000
    assert len({row["id"] for row in written}) == len(written)
    keys = [build.dedup_key(row) for row in written]
    assert len(keys) == len(set(keys)), collections.Counter(keys).most_common(3)
    held_out = testset + load_written_testset()
    trained = set(keys) | {build.dedup_key(row) for row in mentions}
    leaked = [row["text"] for row in held_out if build.dedup_key(row) in trained]
    assert leaked == []
    # What the heads most need from real-looking text is there.
    intents = collections.Counter(row["intent"] for row in written)
    assert all(intents[intent] >= 100 for intent in build.INTENTS), intents
    assert collections.Counter(row["sentiment"] for row in written if row["intent"] == "noise")["neutral"] >= 200
    assert sum(row["lang"] != "en" for row in written) >= 500


def test_the_written_test_set_measures_brand_addressed_spam_among_real_posts():
    rows = load_written_testset()
    spam = [row for row in rows if row["intent"] == "spam"]
    assert len(spam) >= 200 and len(rows) - len(spam) >= 300
    assert all("@" in row["text"] for row in rows)  # every post is addressed to a brand
    assert len({build.dedup_key(row) for row in rows}) == len(rows)


def test_public_sets_load_with_their_attribution():
    banking = load_banking77()
    assert len(banking) == 10003 and len({category for _, category in banking}) == 77
    sms = load_sms_spam()
    assert len(sms) == 4459 and {label for _, label in sms} == {"spam", "ham"}
    for name in ("banking77", "sms_spam"):
        text = (corpus_dir() / "public" / name / "ATTRIBUTION.md").read_text(encoding="utf-8")
        assert "CC BY 4.0" in text
    assert (corpus_dir() / "public" / "banking77" / "LICENSE_CC-BY-4.0.txt").is_file()
    size = sum(p.stat().st_size for p in (corpus_dir() / "public").rglob("*") if p.is_file())
    assert 1_000_000 < size < 1_500_000


GOOD = {"id": "c000001", "text": "@brand hi", "lang": "en", "intent": "question", "sentiment": "neutral",
        "topic": None, "spam": False, "abusive": False, "tags": []}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "intent"}), "missing field(s) intent"),
        (json.dumps({**GOOD, "intent": "rant"}), "intent 'rant' is not one of"),
        (json.dumps({**GOOD, "topic": "weather"}), "topic 'weather'"),
        (json.dumps({**GOOD, "spam": True}), "spam must be true exactly when intent is spam"),
        (json.dumps({**GOOD, "tags": ["angry"]}), "tags must be a list"),
    ],
)
def test_a_malformed_row_is_refused_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(GOOD) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_mentions(path)
    assert f"{path}:3:" in str(caught.value) and message in str(caught.value)


def test_public_loaders_name_the_bad_line(tmp_path):
    banking = tmp_path / "train.csv"
    banking.write_text("text,category\nwhere is my card,card_arrival\nonly one column\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{banking}:3: expected two non-empty columns"):
        load_banking77(banking)
    sms = tmp_path / "SMSSpamCollection"
    sms.write_text("ham\tsee you at 5\nmaybe\tno label here\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{sms}:2: expected 'spam' or 'ham'"):
        load_sms_spam(sms)
    with pytest.raises(DataError, match="not found"):
        load_mentions(tmp_path / "absent.jsonl")


def test_the_corpus_files_ship_in_the_package():
    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot.triage.model.corpus"]
    shipped = {path.relative_to(corpus_dir()) for pattern in patterns for path in corpus_dir().glob(pattern)}
    for name in ("mentions.jsonl", "testset.jsonl", "testset_written_en.jsonl", "README.md",
                 *(path.relative_to(corpus_dir()).as_posix() for path in written_files()), "public/banking77/train.csv",
                 "public/banking77/ATTRIBUTION.md", "public/banking77/LICENSE_CC-BY-4.0.txt",
                 "public/sms_spam/SMSSpamCollection", "public/sms_spam/ATTRIBUTION.md"):
        assert Path(name) in shipped, name
