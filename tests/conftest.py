"""Shared fixtures: real databases (SQLite and PostgreSQL), the runtime, local servers.

PostgreSQL comes from ``MENTIONDESK_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
Each test gets a database of its own, created from that server and dropped afterwards. When the
server is unreachable the PostgreSQL variants are skipped on a developer machine, but fail on
CI (``CI`` set) or with ``MENTIONDESK_REQUIRE_PG=1``: CI must never skip them silently.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# rich fixes a console's width at creation when COLUMNS is set (pytest-xdist workers inherit one):
# the CLI's consoles are module-level, so tests that pass COLUMNS to a command would not get it.
os.environ.pop("COLUMNS", None)
from sqlalchemy.engine import make_url

from bot.core.config import load_config
from bot.app.runtime import Runtime

PG_URL = os.environ.get("MENTIONDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = bool(os.environ.get("CI")) or os.environ.get("MENTIONDESK_REQUIRE_PG") == "1"
SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"


def example_config_text(*, routing: bool = False) -> str:
    """The bundled example config; without its ``routing:`` section unless asked.

    The example ships with routing, crisis mode and incident grouping on so that a newcomer sees
    them work; most tests want the plain desk (no suggestions, no grouping) and add the routing
    they test themselves (tests/routing_fixtures.py)."""
    text = (SAMPLES / "config.example.yaml").read_text(encoding="utf-8")
    if routing:
        return text
    # Drop the top-level block: from "routing:" to the next top-level key (or the end).
    return re.sub(r"(?ms)^routing:\n.*?(?=^[A-Za-z_]|\Z)", "", text)


def _pg_admin_engine():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def _pg_available() -> str | None:
    try:
        with _pg_admin_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(autouse=True)
def rules_classifier_unless_asked(monkeypatch, tmp_path_factory):
    """Tests triage with rules + VADER unless they load trained heads themselves: heads a
    developer trained in ./models must not change what the suite sees."""
    monkeypatch.setenv("MENTIONDESK_MODEL_DIR", str(tmp_path_factory.mktemp("no-heads") / "heads"))


@pytest.fixture(scope="session")
def pg_server():
    problem = _pg_available()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required (CI) but unreachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    request.getfixturevalue("pg_server")
    yield from _fresh_pg_database()


@pytest.fixture
def pg_database_url(pg_server):
    """A fresh, empty PostgreSQL database (for features only PostgreSQL has: advisory locks, replicas)."""
    yield from _fresh_pg_database()


def _fresh_pg_database():
    name = f"md_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "config.example.yaml"
    path.write_text(example_config_text(), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def runtime(config, database_url):
    rt = Runtime.build(config, database=database_url)
    yield rt
    rt.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """Runs an ASGI app under uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def mention(id: str, text: str, *, handle: str = "traveller", followers: int = 150, verified: bool = False,
            created_at: str = "2026-11-20T10:00:00Z", platform: str = "x", **extra) -> dict:
    """A mention JSON object as the interface defines it."""
    data = {"platform": platform, "id": id, "text": text, "created_at": created_at,
            "author": {"id": f"u-{handle}", "handle": handle, "name": handle.title(), "followers": followers,
                       "verified": verified}}
    data.update(extra)
    return data
