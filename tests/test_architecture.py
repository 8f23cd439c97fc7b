"""The architecture is enforced, not hoped for: the import-linter contracts in ``pyproject.toml``
(layers, independent team platforms, no cycles at any depth) hold, and ``bot/`` keeps no loose
modules besides its entry points. README "Architecture" explains the rules and how to change them
on purpose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The only modules directly in bot/: everything else lives in a layer's package.
LOOSE_MODULES_ALLOWED = {"__init__.py", "__main__.py"}


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--config", "pyproject.toml"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"an architecture contract is broken:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout and "3 kept" in result.stdout, result.stdout


def test_bot_keeps_no_loose_modules():
    loose = {p.name for p in (ROOT / "bot").glob("*.py")}
    assert loose <= LOOSE_MODULES_ALLOWED, f"put these in a layer's package: {sorted(loose - LOOSE_MODULES_ALLOWED)}"


def test_python_dash_m_bot_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    for command in ("triage", "ingest", "serve", "run", "train", "eval", "escalation", "crm", "mode"):
        assert f" {command} " in result.stdout, f"`python -m bot` does not list {command}"
