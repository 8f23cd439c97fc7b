"""The desk teaches the model: labels from the desk's history, the quality gate, the install,
`model status`, the leader's scheduled retrain and the classifier reload.

Training runs the real code path on a tiny data folder laid out like ../shared/data (see
``tests.test_model._shared_layout``) so each test stays within seconds."""

from __future__ import annotations

import csv
import functools
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.runtime import Runtime
from bot.core.config import load_config
from bot.core.mention import parse_mention
from bot.desk import actions
from bot.triage.model.feedback import HELD_BACK, desk_labels, desk_split, team_topics
from storage.db import transaction
from storage.models import Case
from tests.conftest import example_config_text, mention
from tests.test_model import COMPLAINTS, OTHER, SPAM, _shared_layout

NOW = datetime(2026, 11, 20, 11, tzinfo=timezone.utc)


# --- building a desk through the real desk actions ------------------------------------------------


def _ingest(runtime: Runtime, texts: list[str], prefix: str) -> list[int]:
    outcomes = runtime.ingest_batch([parse_mention(mention(f"{prefix}{i}", text, handle=f"{prefix}h{i}"))
                                     for i, text in enumerate(texts)], now=NOW)
    assert all(o.case_id is not None for o in outcomes)
    return [o.case_id for o in outcomes]


def _reply(session, case_id: int, agent, key: str) -> None:
    assert actions.claim(session, case_id, agent, now=NOW).ok
    queued = actions.reply(session, case_id, agent, text="Sorry about this, please DM us", idempotency_key=key,
                           now=NOW)
    assert queued.ok and queued.outbox_id is not None
    assert actions.mark_reply_sent(session, queued.outbox_id, external_id=f"sent-{key}", now=NOW).ok


def build_desk(runtime: Runtime, rounds: int = 3) -> int:
    """``rounds`` copies (other flight numbers) of the complaint posts answered and resolved, and
    of the other posts dismissed; returns the number of cases."""
    cases = 0
    for n in range(rounds):
        complaints = _ingest(runtime, [f"@SkylarkAir {t} SK{300 + n}" for t in COMPLAINTS], f"dc{n}-")
        others = _ingest(runtime, [f"@SkylarkAir {t} SK{300 + n}" for t in OTHER], f"do{n}-")
        with transaction(runtime.sessions) as session:
            ana = actions.resolve_actor(session, "slack", "U0ANA00001")
            for i, case_id in enumerate(complaints):
                case = session.get(Case, case_id)
                if case.intent != "complaint":  # the rules missed it: the agent fixes triage first
                    assert actions.correct_triage(session, case_id, ana, intent="complaint", now=NOW).ok
                _reply(session, case_id, ana, f"{n}-{i}")
                assert actions.resolve(session, case_id, ana, now=NOW).ok
            for case_id in others:
                assert actions.not_actionable(session, case_id, ana, reason="nothing to answer", now=NOW).ok
        cases += len(complaints) + len(others)
    return cases


@pytest.fixture
def desk_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(example_config_text(), encoding="utf-8")
    return load_config(path)


# --- labels -----------------------------------------------------------------------------------------


def test_the_desk_history_becomes_labels(config, database_url):
    """SQLite and PostgreSQL: every kind of signal, corrections winning, a stable held-back slice."""
    runtime = Runtime.build(config, database=database_url)
    try:
        replied, dismissed, spammy, corrected, bag, care, care_refund = _ingest(runtime, [
            "@SkylarkAir my bag is lost and nobody answers, awful",
            "@SkylarkAir just landed in Lisbon, see you soon",
            "@SkylarkAir follow my travel page for deals, link in bio",
            "@SkylarkAir worst airline, delayed again and again",
            "@SkylarkAir where is my suitcase, three days now",
            "@SkylarkAir booking page keeps crashing, so annoying",
            "@SkylarkAir my refund for SK12 has not arrived, useless",
        ], "lab")
        with transaction(runtime.sessions) as session:
            ana = actions.resolve_actor(session, "slack", "U0ANA00001")
            for case_id in (replied, corrected):
                if session.get(Case, case_id).intent != "complaint":
                    assert actions.correct_triage(session, case_id, ana, intent="complaint", now=NOW).ok
            _reply(session, replied, ana, "r1")
            _reply(session, corrected, ana, "r2")
            # Replied, and yet Fix triage says it was just praise gone sour: the correction wins.
            assert actions.correct_triage(session, corrected, ana, intent="praise", now=NOW).ok
            assert actions.not_actionable(session, dismissed, ana, reason="chit-chat", now=NOW).ok
            assert actions.not_actionable(session, spammy, ana, reason="Spam bot", now=NOW).ok
            for case_id in (bag, care, care_refund):
                assert actions.claim(session, case_id, ana, now=NOW).ok
            # The baggage team has one topic; care has several: only a case whose topic is care's counts.
            if session.get(Case, bag).team != "baggage":
                assert actions.escalate(session, bag, ana, to_team="baggage", reason="bags", now=NOW).ok
            for case_id, topic in ((care, "booking"), (care_refund, "refund")):
                if session.get(Case, case_id).topic != topic:
                    assert actions.correct_triage(session, case_id, ana, topic=topic, now=NOW).ok
        with transaction(runtime.sessions) as session:
            dev = actions.resolve_actor(session, "slack", "U0DEV00001")  # a lead resolves what others own
            for case_id in (bag, care, care_refund):
                assert actions.resolve(session, case_id, dev, now=NOW).ok
            # A topic corrected on a resolved case is the most explicit topic label.
            assert actions.correct_triage(session, care, dev, topic="app", now=NOW).ok
        with runtime.sessions() as session:
            labels = desk_labels(session, config.triage.model.topic_map, team_topics(config.teams))
            # Heads in use that know the configured names (the corpus's) keep them as they are.
            named = desk_labels(session, config.triage.model.topic_map, team_topics(config.teams),
                                head_labels={"refund", "lost_luggage", "app"})
    finally:
        runtime.close()
    by_text = {task: {e.text.split(",")[0][12:]: e.label for e in ex} for task, ex in labels.examples.items()}
    assert by_text["complaint"] == {"my bag is lost and nobody answers": "complaint", "just landed in Lisbon": "other",
                                    "follow my travel page for deals": "other", "worst airline": "other"}
    # (A reply counts for the case's intent as the desk left it: "worst airline" is praise now.)
    assert by_text["spam"] == {"my bag is lost and nobody answers": "quality", "follow my travel page for deals": "spam"}
    # baggage -> lost_luggage -> the model's own label; care + refund -> the model's "billing"; care + booking was
    # corrected to app afterwards, and the correction wins.
    assert by_text["topic"] == {"where is my suitcase": "Lost Luggage", "my refund for SK12 has not arrived": "billing",
                                "booking page keeps crashing": "app"}
    assert {e.label for e in named.examples["topic"]} == {"lost_luggage", "refund", "app"}
    assert labels.labeled_cases == 7
    assert labels.signals["replied"] == 1 and labels.signals["dismissed_as_spam"] == 1
    for examples in labels.examples.values():
        assert all(e.split == desk_split(e.text) and e.source == "desk" for e in examples)
    assert not any(e.split == HELD_BACK for ex in labels.training().values() for e in ex)


def test_the_held_back_slice_is_stable_and_about_a_fifth():
    texts = [f"my flight SK{n} was delayed by {n % 7} hours" for n in range(2000)]
    splits = [desk_split(t) for t in texts]
    assert splits == [desk_split(t) for t in texts]
    assert desk_split("@a my bag http://x.y/1") == desk_split("@b MY bag  http://z/2")
    assert 0.17 < splits.count(HELD_BACK) / len(splits) < 0.23


# --- gate and install -------------------------------------------------------------------------------


def _inverted_layout(root: Path) -> Path:
    """The tiny data folder with its labels swapped (complaints as positive, spam as quality and
    back): heads trained on it are worse on purpose, even with the desk's correct labels added."""
    _shared_layout(root)
    swap = {"negative": "positive", "positive": "negative", "Spam": "Quality", "Quality": "Spam"}
    for path, column in ((root / "airline" / "train.csv", "airline_sentiment"),
                         (root / "twitter_spam_utkml" / "train.csv", "Type")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            row[column] = swap[row[column]]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return root


@pytest.fixture(scope="module")
def encoder():
    from bot.triage.model.encoder import Encoder

    return Encoder()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk-data")
    return {"good": _shared_layout(root / "good"), "inverted": _inverted_layout(root / "inverted")}


@pytest.fixture(scope="module")
def good_heads(encoder, data, tmp_path_factory):
    from bot.triage.model.train import train_all

    directory = tmp_path_factory.mktemp("good") / "heads"
    train_all(data["good"], directory, encoder=encoder, export_onnx_encoder=False)
    return directory


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk-db")
    (root / "config.yaml").write_text(example_config_text(), encoding="utf-8")
    config = load_config(root / "config.yaml")
    url = f"sqlite:///{root / 'desk.db'}"
    runtime = Runtime.build(config, database=url)
    cases = build_desk(runtime)
    runtime.close()
    return url, cases


def _installed(source: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "models" / "heads"
    shutil.copytree(source, target)
    return target


def test_worse_heads_are_refused_and_nothing_is_installed(encoder, data, good_heads, desk_db, desk_config,
                                                           tmp_path):
    from bot.triage.model.desk_training import incoming_dir, last_retrain_path, retrain_from_desk
    from storage.db import make_engine, make_session_factory

    url, cases = desk_db
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    retrain = functools.partial(retrain_from_desk, sessions, desk_config, encoder=encoder, export_onnx=False)
    heads_dir = _installed(good_heads, tmp_path)
    before = (heads_dir / "manifest.json").read_bytes()
    # Trained on inverted labels: worse on the desk's held-back posts than the installed heads.
    refused = retrain(heads_dir, data_dir=data["inverted"])
    assert refused.status == "refused", refused.gate
    assert refused.labels.labeled_cases == cases
    worse = {r.task: r for r in refused.gate.rows}["complaint"]
    assert worse.verdict == "worse" and worse.new < worse.old and worse.n == refused.labels.counts()["complaint"][HELD_BACK]
    assert (heads_dir / "manifest.json").read_bytes() == before  # nothing installed
    assert not incoming_dir(heads_dir).exists() and not heads_dir.with_name("heads.previous").exists()
    assert json.loads(last_retrain_path(heads_dir).read_text())["status"] == "refused"
    engine.dispose()


def test_better_heads_are_installed_and_the_previous_set_kept(encoder, data, good_heads, desk_db, desk_config,
                                                              tmp_path):
    from bot.triage.model.desk_training import retrain_from_desk
    from storage.db import make_engine, make_session_factory

    url, cases = desk_db
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    retrain = functools.partial(retrain_from_desk, sessions, desk_config, encoder=encoder, export_onnx=False)
    # The worse set is installed first (--force); a retrain on good data beats it and replaces it.
    heads_dir = _installed(good_heads, tmp_path)
    bad_dir = tmp_path / "bad" / "heads"
    forced = retrain_from_desk(sessions, desk_config, bad_dir, current_dir=heads_dir, data_dir=data["inverted"],
                               encoder=encoder, export_onnx=False, force=True)
    assert forced.status == "forced" and "although the gate refused" in forced.message
    better = retrain(bad_dir, data_dir=data["good"])
    engine.dispose()
    assert better.status == "installed", better.gate
    rows = {r.task: r for r in better.gate.rows}
    assert rows["complaint"].verdict == "better" and rows["complaint"].new > rows["complaint"].old
    manifest = json.loads((bad_dir / "manifest.json").read_text())
    assert manifest["gate"]["passed"] and manifest["desk"]["labeled_cases"] == cases
    assert manifest["sources"]["complaint"]["desk"] == sum(better.labels.counts()["complaint"][s] for s in ("train", "tune"))
    previous = json.loads((bad_dir.with_name("heads.previous") / "manifest.json").read_text())
    assert previous["gate"]["forced"] is True  # the forced set was kept as the backup
    # The held-back slice exists and never reached training (the desk's count above is train + tune only).
    assert better.labels.counts()["complaint"][HELD_BACK] > 0


def test_train_from_desk_command_refuses_worse_heads_with_a_table(data, good_heads, desk_db, tmp_path, monkeypatch):
    from bot.app.cli.main import app

    url, _ = desk_db
    heads_dir = _installed(good_heads, tmp_path)
    before = (heads_dir / "manifest.json").read_bytes()
    monkeypatch.setenv("MENTIONDESK_MODEL_DIR", str(heads_dir))
    result = CliRunner().invoke(app, ["train", "--from-desk", "--database-url", url, "--data", str(data["inverted"])])
    assert result.exit_code == 1, result.output
    assert "Quality gate" in result.output and "worse" in result.output and "refused" in result.output
    assert (heads_dir / "manifest.json").read_bytes() == before
    few = CliRunner().invoke(app, ["train", "--from-desk", "--database-url", url, "--data", str(data["good"]),
                                   "--min-cases", "1000"])
    assert few.exit_code == 3 and "1000 needed: nothing retrained" in few.output
    assert (heads_dir / "manifest.json").read_bytes() == before


# --- model status -----------------------------------------------------------------------------------


def _auto_config(tmp_path: Path, heads_dir: Path, extra: str = "") -> Path:
    # torch: the tests never build the machine's ONNX export (tests/test_model_shipped.py covers it)
    text = re.sub(r"(?m)^    use: (auto|rules)\n", f"    use: auto\n    backend: torch\n    heads_dir: {heads_dir}\n{extra}",
                  example_config_text(), count=1)
    path = tmp_path / "auto.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_model_status_table_and_json(encoder, data, good_heads, desk_db, desk_config, tmp_path, monkeypatch):
    from bot.app.cli.main import app
    from bot.triage.model.desk_training import retrain_from_desk
    from storage.db import make_engine, make_session_factory

    heads_dir = tmp_path / "trained" / "heads"
    engine = make_engine(desk_db[0])
    outcome = retrain_from_desk(make_session_factory(engine), desk_config, heads_dir, current_dir=good_heads,
                                data_dir=data["good"], encoder=encoder, export_onnx=False, force=True)
    engine.dispose()
    assert outcome.installed
    config = _auto_config(tmp_path, heads_dir)
    monkeypatch.setenv("MENTIONDESK_CACHE_DIR", str(tmp_path / "cache"))  # this machine's ONNX export: not built
    shown = CliRunner().invoke(app, ["model", "status", "--config", str(config)])
    assert shown.exit_code == 0, shown.output
    for words in ("cascade: rules + MiniLM heads", "trained folder", "checksum verified", "7 verified",
                  "Examples per task", "Gate of the desk retrain", "scheduled retrain", "off", "not built yet"):
        assert words in shown.output, words
    as_json = CliRunner().invoke(app, ["model", "status", "--config", str(config), "--json"])
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.output)
    assert report["heads"]["kind"] == "trained" and report["heads"]["path"] == str(heads_dir)
    assert report["classifier"].startswith("classifier: cascade")
    assert report["encoder"]["checksum_verified"] is True and report["encoder"]["onnx"]["cached"] is False
    assert report["encoder"]["onnx"]["path"].startswith(str(tmp_path / "cache"))
    sources = report["heads"]["sources"]["complaint"]
    assert sources["public sets"] > 0 and sources["desk"] > 0 and sources["corpus"] == 0
    assert report["heads"]["desk"]["labeled_cases"] == desk_db[1]
    assert {r["task"] for r in report["heads"]["gate"]["rows"]} == {"complaint", "topic", "spam"}
    assert report["last_retrain"]["status"] in ("installed", "forced")
    assert report["previous"] is None and report["retrain"]["enabled"] is False


# --- the leader's scheduled retrain and the reload --------------------------------------------------


def test_retrain_schedule_from_config():
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from bot.app.model_jobs import retrain_trigger
    from bot.core.config import RetrainSettings

    interval = retrain_trigger(RetrainSettings(enabled=True, every="7d"))
    assert isinstance(interval, IntervalTrigger) and interval.interval.days == 7
    weekly = retrain_trigger(RetrainSettings(enabled=True, weekday="tue", at="04:30"))
    assert isinstance(weekly, CronTrigger)
    fired = weekly.get_next_fire_time(None, datetime(2026, 12, 2, 5, tzinfo=timezone.utc))  # a Wednesday
    assert fired == datetime(2026, 12, 8, 4, 30, tzinfo=timezone.utc)
    default = retrain_trigger(RetrainSettings(enabled=True))
    assert default.get_next_fire_time(None, datetime(2026, 12, 2, 5, tzinfo=timezone.utc)).weekday() == 6


def _eventually(check, timeout: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def test_retrain_is_scheduled_only_when_enabled_and_only_on_the_leader(pg_database_url, tmp_path):
    from bot.app.leader import Leadership
    from bot.app.model_jobs import model_jobs

    off = load_config(_auto_config(tmp_path, tmp_path / "none"))
    runtime = Runtime.build(off, database=pg_database_url)
    try:
        jobs = model_jobs(runtime)
        assert jobs.retrain is None and jobs.elected == [] and jobs.reloader is not None
    finally:
        runtime.close()
    on = load_config(_auto_config(tmp_path, tmp_path / "none", "    retrain: {enabled: true, every: 7d}\n"))
    runtimes = [Runtime.build(on, database=pg_database_url) for _ in range(2)]
    replicas = []
    try:
        for n, rt in enumerate(runtimes):
            jobs = model_jobs(rt)
            leadership = Leadership(rt.engine, check_every=0.1, name=f"r{n}", on_elected=jobs.elected,
                                    on_demoted=jobs.demoted)
            replicas.append((leadership, jobs))
            leadership.start()
            if n == 0:
                assert leadership.wait(True, 10)  # the first replica leads; the second then competes
        first, second = replicas
        assert not second[0].wait(True, 1)
        assert first[1].retrain.scheduled and not second[1].retrain.scheduled
        first[0].stop()  # the leader steps down: the other one takes over, and the job with it
        assert second[0].wait(True, 10)
        # The election flag is set before the start-up steps run: wait for the job to be there.
        assert _eventually(lambda: second[1].retrain.scheduled) and not first[1].retrain.scheduled
        assert second[1].retrain.next_run() is not None
    finally:
        for leadership, _ in replicas:
            leadership.stop()
        for rt in runtimes:
            rt.close()


def test_the_leader_job_retrains_and_the_replica_reloads_its_classifier(encoder, data, good_heads, desk_db,
                                                                         tmp_path):
    from bot.app.model_jobs import DeskRetrainJob, model_jobs
    from bot.core.observability import CLASSIFIER_RELOADS, MODEL_RETRAINS
    from bot.triage.model.classifier import ModelClassifier
    from bot.triage.model.desk_training import retrain_from_desk

    heads_dir = _installed(good_heads, tmp_path)
    config = load_config(_auto_config(tmp_path, heads_dir, "    retrain: {enabled: true, min_cases: 10}\n"))
    runtime = Runtime.build(config, database=desk_db[0])
    try:
        old = runtime.pipeline.classifier
        assert isinstance(old, ModelClassifier)
        jobs = model_jobs(runtime)
        assert jobs.reloader.check() is False  # nothing new yet
        job = DeskRetrainJob(runtime, config.triage.model.retrain, reloader=jobs.reloader, data_dir=data["good"],
                             retrain=functools.partial(retrain_from_desk, encoder=encoder, export_onnx=False,
                                                       force=True, tasks=("sentiment", "complaint", "spam")))
        installed_before = MODEL_RETRAINS.labels(outcome="forced")._value.get() + \
            MODEL_RETRAINS.labels(outcome="installed")._value.get()
        reloads = CLASSIFIER_RELOADS._value.get()
        outcome = job.run_once()  # what the scheduler's worker thread runs
        assert outcome.installed
        assert MODEL_RETRAINS.labels(outcome="forced")._value.get() + \
            MODEL_RETRAINS.labels(outcome="installed")._value.get() == installed_before + 1
        new = runtime.pipeline.classifier
        assert new is not old and isinstance(new, ModelClassifier) and new.encoder is old.encoder  # encoder kept
        assert new.heads["complaint"] is not old.heads["complaint"]
        assert CLASSIFIER_RELOADS._value.get() == reloads + 1 and "encoder kept" in runtime.classifier_note
        # The swapped-in classifier triages.
        outcome = runtime.ingest_batch([parse_mention(mention("after-reload", "@SkylarkAir they lost my suitcase "
                                                                               "again SK900"))], now=NOW)[0]
        assert outcome.result.intent == "complaint"
        # A set that cannot be loaded is refused and the running classifier stays.
        (heads_dir / "complaint.pkl.xz").write_bytes(b"tampered")
        manifest = json.loads((heads_dir / "manifest.json").read_text())
        manifest["trained_at"] = "later"
        (heads_dir / "manifest.json").write_text(json.dumps(manifest))
        assert jobs.reloader.check() is False and runtime.pipeline.classifier is new
        # Too little history: logged and counted, no retrain.
        job.settings = config.triage.model.retrain.model_copy(update={"min_cases": 10_000})
        assert job.run_once().status == "too_little"
    finally:
        runtime.close()


def test_the_gate_compares_accuracy_where_the_slice_has_no_positive_example():
    import numpy as np

    from bot.triage.model.datasets import Example
    from bot.triage.model.gate import compare

    class Says:  # a head that calls the first ``spam`` posts spam
        def __init__(self, spam: int):
            self.spam = spam

        def predict(self, texts, vectors):
            return ["spam" if i < self.spam else "quality" for i in range(len(texts))]

    held = {"spam": [Example(f"post {i}", "quality", "held_back", "desk") for i in range(10)]}
    embed = lambda texts: np.zeros((len(texts), 384))  # noqa: E731 - the stub heads ignore vectors
    worse = compare({"spam": Says(0)}, {"spam": Says(3)}, held, embed)
    row = {r.task: r for r in worse.rows}["spam"]
    assert not worse.passed and row.figure == "spam accuracy (no spam held back)"
    assert (row.old, row.new, row.verdict) == (1.0, 0.7, "worse")
    assert {r.task: r.verdict for r in worse.rows}["complaint"] == "not compared"
    assert compare({"spam": Says(3)}, {"spam": Says(0)}, held, embed).passed
    assert compare(None, {"spam": Says(0)}, held, embed).note == "no installed heads to compare with"
    nothing = compare(None, {"spam": Says(0)}, {}, embed)
    assert not nothing.passed and "nothing to compare" in nothing.note
