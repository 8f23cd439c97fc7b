"""The model out of the box: where heads come from, the ONNX export cached at first use, the
shipped heads themselves (license-clean, small, the default) and a reproducible `train`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.core.settings import Settings
from bot.triage.model import location
from bot.triage.model.location import heads_dir_for, shipped_heads_dir
from bot.triage.select import build_classifier


def test_heads_come_from_config_then_environment_then_local_training_then_the_package(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert heads_dir_for("from/config", "from/env") == Path("from/config")
    assert heads_dir_for(None, "from/env") == Path("from/env")
    assert heads_dir_for(None, None) == shipped_heads_dir()
    (tmp_path / "models" / "heads").mkdir(parents=True)
    assert heads_dir_for(None, None) == shipped_heads_dir(), "an empty models/heads is not a trained set"
    (tmp_path / "models" / "heads" / location.MANIFEST).write_text("{}", encoding="utf-8")
    assert heads_dir_for(None, None) == location.LOCAL_HEADS


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTIONDESK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_onnx_export_is_built_once_checked_and_reused(cache_dir, caplog):
    from bot.triage.model.encoder import OFFICIAL_SHA256, Encoder, package_model_dir
    from bot.triage.model.onnx_cache import cached_onnx_encoder, export_dir

    said: list[str] = []
    built: list[int] = []

    def torch_encoder():
        built.append(1)
        return Encoder()

    first = cached_onnx_encoder(OFFICIAL_SHA256, package_model_dir(), torch_encoder, announce=said.append)
    assert built == [1] and len(said) == 2 and "building the ONNX encoder once" in said[0]
    assert "checked against torch" in said[1]
    folder = export_dir(OFFICIAL_SHA256)
    assert (folder / "encoder.onnx").is_file() and json.loads((folder / "export.json").read_text())["sha256"]
    texts = ["@SkylarkAir my bag never arrived in Lisbon", "thanks for the smooth flight!"]
    reference = Encoder().encode(texts)
    assert np.min(np.sum(first.encode(texts) * reference, axis=1)) > 0.9999

    again = cached_onnx_encoder(OFFICIAL_SHA256, package_model_dir(), torch_encoder, announce=said.append)
    assert built == [1] and len(said) == 2, "a second start reuses the export silently"
    assert np.allclose(again.encode(texts), first.encode(texts))

    # A damaged cache entry is refused by its checksum and rebuilt, never loaded.
    with (folder / "encoder.onnx").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00" * 16)
    rebuilt = cached_onnx_encoder(OFFICIAL_SHA256, package_model_dir(), torch_encoder, announce=said.append)
    assert built == [1, 1] and "unusable" in caplog.text
    assert np.min(np.sum(rebuilt.encode(texts) * reference, axis=1)) > 0.9999


def test_a_cache_entry_of_another_encoder_is_not_used(cache_dir):
    from bot.triage.model.onnx_cache import _load, export_dir

    folder = export_dir("0" * 64)
    folder.mkdir(parents=True)
    (folder / "export.json").write_text(json.dumps({"sha256": "x", "encoder_sha256": "1" * 64}), encoding="utf-8")
    assert _load(folder, Path("."), "0" * 64) is None


# --- the shipped heads -------------------------------------------------------------------------

SHIPPED_LIMIT_BYTES = 10 * 1024 * 1024


def test_shipped_heads_are_small_checked_and_trained_only_on_redistributable_data():
    from bot.triage.model.heads import load_heads

    folder = shipped_heads_dir()
    heads, manifest = load_heads(folder)  # every file's SHA-256 checked against the manifest
    assert {"sentiment", "complaint", "topic", "spam", "abusive"} <= set(heads)
    assert sum(f.stat().st_size for f in folder.iterdir()) <= SHIPPED_LIMIT_BYTES
    assert not (folder / "encoder.onnx").exists(), "the ONNX export is built per machine, never shipped"
    allowed = {"corpus", "written", "sms_spam", "banking77"}
    for task, sources in manifest["sources"].items():
        assert set(sources) <= allowed, f"{task} learned from {set(sources) - allowed}"
    assert manifest["encoder"] is None and manifest["seed"] == 13


@pytest.fixture
def shipped(monkeypatch, tmp_path_factory, config):
    """The classifier a fresh install builds: no heads configured, none trained here."""
    monkeypatch.delenv("MENTIONDESK_MODEL_DIR", raising=False)
    monkeypatch.chdir(tmp_path_factory.mktemp("fresh"))
    monkeypatch.setenv("MENTIONDESK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "onnx-cache"))
    classifier, note = build_classifier(config, Settings(model_dir=None))
    assert classifier.name.startswith("cascade") and "the shipped heads" in note, note
    return classifier


def _triage(config, classifier, texts: list[str], lang: str | None = "en"):
    from datetime import datetime, timezone

    from bot.core.mention import parse_mention
    from bot.triage.pipeline import TriagePipeline
    from bot.triage.scoring import CustomerContext

    from tests.conftest import mention

    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    pipeline = TriagePipeline(config, classifier)
    items = []
    for i, text in enumerate(texts):
        data = mention(f"s{i}", text)
        data["lang"] = lang
        items.append((parse_mention(data), CustomerContext()))
    return pipeline.triage_many(items, now)


# Spam the rules let through (one promo signal or none) that the spam head must drop. Phishing
# worded like a complaint ("your account has been suspended") and work-from-home offers are
# known misses of the shipped heads (MODEL_CARD.md, bench/triage_quality.py measures the rest).
BRAND_SPAM = [
    "@SkylarkAir WIN a FREE iPhone!!! click bit.ly/fr33phone to claim before midnight",
    "@SkylarkAir Buy 10k real followers for $5, instant delivery, visit growfollowers.biz",
]
COMPLAINTS_WITH_LINKS = [
    "@SkylarkAir my bag never arrived in Lisbon, file LIS-88213, photo of the tag here bit.ly/3xTag",
    "@SkylarkAir charged twice for the same seat, screenshot: imgur.com/a/k2j3 please refund one",
    "@SkylarkAir flight SK212 cancelled and the rebooking link skylarkair.com/manage gives an error",
]


def test_shipped_model_drops_brand_addressed_spam_but_never_a_complaint(config, shipped):
    from bot.triage.classifier import RulesClassifier

    rules_only = _triage(config, RulesClassifier(config.triage), BRAND_SPAM)
    assert not any(r.tier == "spam" for r in rules_only), "the rules alone must let these through"
    spam = _triage(config, shipped, BRAND_SPAM)
    said = [(r.tier, r.reasons[:1]) for r in spam]
    # Both are certain spam to the heads trained on written posts too (p well over the 0.7 floor).
    assert all(r.tier == "spam" and "spam model" in r.reasons[0] for r in spam), said
    complaints = _triage(config, shipped, COMPLAINTS_WITH_LINKS)
    assert all(r.tier == "tier1" for r in complaints), [(r.tier, r.intent, r.reasons[:2]) for r in complaints]


def test_shipped_model_reads_other_languages_and_flags_abuse(config, shipped):
    arabic = _triage(config, shipped, ["@SkylarkAir حقيبتي ضاعت في مطار دبي منذ ثلاثة أيام ولا أحد يرد، خدمة سيئة جدا"],
                     lang="ar")[0]
    assert arabic.tier == "tier1" and arabic.intent == "complaint", arabic.reasons
    rude = _triage(config, shipped, ["@SkylarkAir your gate staff are useless idiots, absolute morons the lot of them"])[0]
    assert rude.abusive and rude.tier == "tier1", rude.reasons


def test_a_brand_name_does_not_move_the_shipped_model(config, shipped):
    from bot.core.config import Brand

    text = "{} sat on the tarmac for three hours, no water, no information, missed my meeting"
    verdicts = []
    for name, handle in (("United", "@united"), ("Delta", "@Delta"), ("Spirit", "@SpiritAirlines"), ("Hope", "@Hope")):
        branded = config.model_copy(update={"brands": [Brand(name=name, handles=[handle])]})
        result = _triage(branded, shipped, [text.format(handle)])[0]
        verdicts.append((result.tier, result.intent, result.sentiment.label, round(result.sentiment.score, 2)))
    assert len(set(verdicts)) == 1, verdicts
