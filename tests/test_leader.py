"""Leader election: one replica at a time holds the PostgreSQL advisory lock and runs the singletons."""

from __future__ import annotations

from sqlalchemy import text

from bot.app.leader import Leadership
from storage.db import make_engine


def test_sqlite_process_is_always_leader(tmp_path):
    started = []
    leader = Leadership(make_engine(f"sqlite:///{tmp_path / 'one.db'}"), on_elected=[lambda: started.append(1)])
    leader.start()
    assert leader.is_leader and started == [1]
    leader.stop()
    assert not leader.is_leader


def test_one_leader_and_fail_over_when_it_dies(pg_database_url):
    pg_url = pg_database_url
    log: list[str] = []
    engines = [make_engine(pg_url), make_engine(pg_url)]
    a, b = (Leadership(e, check_every=0.1, name=n, on_elected=[lambda n=n: log.append(f"{n} up")],
                       on_demoted=[lambda n=n: log.append(f"{n} down")]) for e, n in zip(engines, "ab"))
    a.start()
    assert a.wait(True, 5)
    b.start()
    assert not b.wait(True, 0.5)  # the lock is taken: b stays a follower
    assert log == ["a up"]

    # a's process dies: PostgreSQL drops its connection (and with it the lock); b takes over.
    with engines[1].connect() as admin:
        pid = a._conn.execute(text("SELECT pg_backend_pid()")).scalar()
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert b.wait(True, 5)
    assert a.wait(False, 5)  # a noticed it lost its connection and stepped down
    assert log == ["a up", "b up", "a down"] or log == ["a up", "a down", "b up"]

    # Graceful shutdown hands over at once.
    b.stop()
    assert a.wait(True, 5)
    a.stop()
    assert log[-3:] == ["b down", "a up", "a down"]
    for e in engines:
        e.dispose()
