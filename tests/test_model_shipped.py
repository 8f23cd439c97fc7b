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
