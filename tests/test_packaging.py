"""The package metadata a registry and a licence scanner read."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

from packaging.licenses import canonicalize_license_expression

REPO = Path(__file__).resolve().parent.parent


def test_license_is_an_spdx_expression_with_its_file(monkeypatch):
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == canonicalize_license_expression("MIT")  # a string, not the deprecated table
    assert project["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 The mentiondesk authors" in text

    # setuptools reads it without a deprecation warning and puts it in the core metadata.
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    monkeypatch.chdir(REPO)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dist = apply_configuration(Distribution(), REPO / "pyproject.toml")
    assert dist.metadata.license_expression == "MIT"
