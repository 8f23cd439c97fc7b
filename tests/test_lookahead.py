"""The encoder look-ahead (issue 19): the next batch is encoded while this one is stored, and
the results are exactly those without it. And `mentiondesk triage` touches no database."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.app.runtime import Runtime
from bot.core.config import load_config
from bot.core.mention import parse_mention
from bot.core.observability import ENCODED
from bot.desk.dry_run import DryRunIngest
from bot.desk.lookahead import LookAhead
from bot.triage.model.heads import save_heads
from bot.triage.model.train import EmbeddingCache, train_task
from bot.triage.pipeline import TriagePipeline
from bot.triage.scoring import CustomerContext
from storage.models import Mention

from tests.conftest import example_config_text, mention
from tests.test_model import examples

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=timezone.utc)
runner = CliRunner()


def posts() -> list[dict]:
    texts = [
        "@SkylarkAir my flight was delayed five hours and nobody told us anything",
        "@SkylarkAir thank you for the lovely flight to Lisbon",
        "A skylark sang over the field this morning",
        "🔥 FLASH SALE from $49 👉 bit.ly/x https://deals-x.top #SkylarkAir #a #b #c #d #e",
        "@SkylarkAir the crew were wonderful with my kids",
        "@SkylarkAir they lost my suitcase again and the app says nothing",
        "@SkylarkAir is the lounge in Porto open this early",
        "@SkylarkHelp sat on the tarmac for three hours without water",
    ]
    return [mention(str(i), texts[i % len(texts)] + f" (day {i})", handle=f"flyer{i % 5}",
                    created_at=f"2026-11-20T10:{i:02d}:00Z") for i in range(40)]


@pytest.fixture(scope="module")
def heads_dir(tmp_path_factory):
    from bot.triage.model.encoder import Encoder

    embed = EmbeddingCache(Encoder())
    heads = {task: train_task(task, examples(task if task == "complaint" else "sentiment"), embed, seed=1)
             for task in ("complaint", "sentiment")}
    directory = tmp_path_factory.mktemp("heads")
    save_heads(directory, heads, {"seed": 1})
    return directory


@pytest.fixture
def cascade_config(tmp_path, heads_dir):
    path = tmp_path / "config.yaml"
    path.write_text(example_config_text().replace("use: rules", "use: auto")
                    .replace("# heads_dir: models/heads", f"heads_dir: {heads_dir}"), encoding="utf-8")
    config = load_config(path)
    assert config.triage.model.use == "auto"
    return path, config


def stored(rt: Runtime) -> list[tuple]:
    with rt.sessions() as s:
        return sorted((m.external_id, m.tier.value, m.intent, m.sentiment, round(m.score or 0.0, 9))
                      for m in s.scalars(select(Mention)))


def test_look_ahead_stores_the_same_and_saves_the_encoding(cascade_config, tmp_path):
    _, config = cascade_config
    batches = [[parse_mention(p) for p in posts()[i:i + 10]] for i in range(0, 40, 10)]
    plain = Runtime.build(config, database=f"sqlite:///{tmp_path}/plain.db")
    assert plain.pipeline.classifier.name.startswith("cascade")
    before = ENCODED._value.get()
    for batch in batches:
        plain.ingest_batch(batch, now=NOW)
    encoded_plain = ENCODED._value.get() - before
    expected = stored(plain)
    plain.close()

    ahead_rt = Runtime.build(config, database=f"sqlite:///{tmp_path}/ahead.db")
    ahead = LookAhead(ahead_rt.pipeline)
    before = ENCODED._value.get()
    ahead.start(batches[0])
    for batch, following in zip(batches, [*batches[1:], None]):
        ahead.ready()
        ahead.start(following)
        ahead_rt.ingest_batch(batch, now=NOW)
        if following is not None:
            ahead.ready()
            # The next batch's likely texts are computed before its ingest asks for them.
            guessed = ahead_rt.pipeline.likely_model_texts(following)
            assert guessed and set(guessed) <= set(ahead_rt.pipeline.classifier._recent)
    ahead.close()
    assert stored(ahead_rt) == expected
    assert encoded_plain > 0
    assert ENCODED._value.get() - before == encoded_plain  # nothing encoded twice
    ahead_rt.close()


def test_a_webhook_batch_encodes_before_it_takes_the_writer_lock(cascade_config, tmp_path):
    """Runtime.ingest_batch computes the model's hints before the transaction and SQLite's writer
    lock (concurrent requests encode while another stores), and the transaction encodes nothing
    more; the CLI's look-ahead says it did that already and is not asked again."""
    _, config = cascade_config
    rt = Runtime.build(config, database=f"sqlite:///{tmp_path}/hook.db")
    try:
        classifier = rt.pipeline.classifier
        seen = []
        real = classifier.prefetch

        def prefetch(texts):
            locked = rt._ingest_writer.locked()
            seen.append((len(texts), locked))
            real(texts)

        classifier.prefetch = prefetch
        batch = [parse_mention(p) for p in posts()[:10]]
        before = ENCODED._value.get()
        rt.ingest_batch(batch, now=NOW)
        assert len(seen) == 1 and seen[0][0] > 0 and seen[0][1] is False
        encoded = ENCODED._value.get() - before
        assert encoded > 0
        # Everything the batch needed was encoded before the lock: the transaction found it all.
        assert set(rt.pipeline.likely_model_texts(batch)) <= set(classifier._recent)
        rt.ingest_batch([parse_mention(p) for p in posts()[10:20]], now=NOW, looked_ahead=True)
        assert len(seen) == 1
    finally:
        rt.close()


def test_the_guess_changes_no_triage_state(config):
    pipeline = TriagePipeline(config)
    spammy = parse_mention(mention("1", "WIN WIN WIN free flights click https://x.top now now now", handle="w"))
    for _ in range(5):
        pipeline.likely_model_texts([spammy])
    # Had the guess counted repeats, the first real sighting would already be "seen 6 times".
    result = pipeline.triage(spammy, CustomerContext(), NOW)
    assert not any("same text seen" in r for r in result.reasons)


def test_the_real_pass_reuses_the_guess_work(config, monkeypatch):
    """What the look-ahead read of a post (its spam signals, its brand, VADER) is not read again
    by the real pass, which decides exactly as a pipeline without a look-ahead: spam, a post to
    the brand, one that names nothing but replies in the brand's thread, and an unrelated one."""
    from bot.triage.sentiment import VaderSentiment
    from bot.triage.spam import SpamFilter

    batch = [parse_mention(mention("b1", "Boarding now, gate B4", handle="SkylarkAir")),  # the brand's own
             parse_mention(mention("c1", "@SkylarkAir my bag never arrived in Porto and nobody answers")),
             parse_mention(mention("c2", "still nothing about my bag, three days now", handle="jo",
                                   conversation_id="b1", in_reply_to_id="b1")),
             parse_mention(mention("s1", "🔥 FLASH SALE from $49 👉 bit.ly/x https://deals-x.top #SkylarkAir #a #b #c #d #e")),
             parse_mention(mention("n1", "A skylark sang over the field this morning"))]
    expected = [(r.tier, r.intent, r.score, r.reasons) for r in TriagePipeline(config).triage_many(
        [(m, CustomerContext()) for m in batch], NOW)]

    calls = {"static": 0, "vader": 0}
    static, score = SpamFilter.static_signals, VaderSentiment.score

    def counted_static(self, m):
        calls["static"] += 1
        return static(self, m)

    def counted_score(self, text):
        calls["vader"] += 1
        return score(self, text)

    monkeypatch.setattr(SpamFilter, "static_signals", counted_static)
    monkeypatch.setattr(VaderSentiment, "score", counted_score)
    pipeline = TriagePipeline(config)
    pipeline.likely_model_texts(batch)
    after_guess = dict(calls)
    got = [(r.tier, r.intent, r.score, r.reasons) for r in pipeline.triage_many([(m, CustomerContext()) for m in batch], NOW)]
    assert got == expected
    assert got[2][0] != "noise"  # the reply joined the brand's conversation
    assert after_guess["static"] == 4  # every post but the brand's own
    assert calls["static"] == after_guess["static"]  # none scanned twice
    assert calls["vader"] - after_guess["vader"] <= 1  # only the reply, matched as addressed after the guess
    assert not pipeline._looked_ahead  # used up


def test_triage_json_touches_no_database(tmp_path, monkeypatch, cascade_config):
    """`mentiondesk triage` builds no engine at all, and gives what ingest would decide."""
    import bot.app.runtime
    import storage.db

    def no_database(*args, **kwargs):
        raise AssertionError("triage opened a database")

    monkeypatch.setattr(storage.db, "make_engine", no_database)
    monkeypatch.setattr(bot.app.runtime, "make_engine", no_database)
    path, _ = cascade_config
    monkeypatch.chdir(tmp_path)
    feed = tmp_path / "feed.jsonl"
    data = posts() + [posts()[0]]  # a redelivery: reported once
    feed.write_text("\n".join(json.dumps(p) for p in data) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["triage", str(feed), "--json", "-c", str(path)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "feed.jsonl"]


def test_dry_run_decides_as_ingest_does(config, database_url):
    """Repeat contacts, threads, a reply opened in the same batch, redeliveries: same results."""
    stream = posts() + [
        mention("r1", "@SkylarkAir any news? still waiting", handle="someone", conversation_id="0", in_reply_to_id="0"),
        mention("r2", "still nothing at all", handle="other", conversation_id="5", in_reply_to_id="5"),
        posts()[3],
    ]
    mentions = [parse_mention(p) for p in stream]
    rt = Runtime.build(config, database=database_url)
    try:
        expected = []
        for i in range(0, len(mentions), 15):
            expected += rt.ingest_batch(mentions[i:i + 15], now=NOW)
    finally:
        rt.close()
    dry = DryRunIngest(TriagePipeline(config), config.customers)
    got = []
    for i in range(0, len(mentions), 15):
        got += dry.ingest_many(mentions[i:i + 15], now=NOW)

    def key(o):
        r = o.result
        return (o.duplicate, o.new_case, o.case_id is not None,
                r and (r.tier, r.intent, r.score, r.reasons, r.team, [c.as_dict() for c in r.contributions]))

    assert [key(o) for o in got] == [key(o) for o in expected]
    assert any(o.case_id is not None and not o.new_case for o in got)  # a join happened
    assert any(o.duplicate for o in got)
