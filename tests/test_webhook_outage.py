"""``POST /ingest`` during a database outage: 503 with Retry-After, nothing half-stored, and the
same batch is accepted once the database is back (issue 17, item 6)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from bot.app.server import create_app
from storage.db import make_engine, make_session_factory
from storage.models import Mention
from tests.conftest import ServerThread, free_port, mention


def unreachable_sessions(database_url: str, tmp_path):
    """Sessions on a database that cannot be reached: a closed port, or a file in no directory."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'gone' / 'nowhere.db'}"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2"
    return make_session_factory(make_engine(url))


def test_ingest_answers_503_with_retry_after_while_the_database_is_down(runtime, database_url, tmp_path):
    batch = [mention("outage-1", "@SkylarkAir my bag never arrived, please help")]
    working = runtime.sessions
    with ServerThread(create_app(runtime)) as server:
        runtime.sessions = unreachable_sessions(database_url, tmp_path)  # the outage begins
        down = httpx.post(server.url + "/ingest", json=batch, timeout=30)
        assert down.status_code == 503, down.text
        assert down.headers["retry-after"].isdigit() and int(down.headers["retry-after"]) > 0
        assert "database unavailable" in down.json()["error"]
        runtime.sessions = working  # the database is back: the sender's retry goes through, once
        with working() as session:
            assert session.scalar(select(func.count()).select_from(Mention)) == 0
        up = httpx.post(server.url + "/ingest", json=batch, timeout=30)
        assert up.status_code == 200, up.text
        assert up.json()["results"][0]["duplicate"] is False
