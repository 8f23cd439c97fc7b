"""A leader on a half-open connection (issue 17, item 3): it cannot confirm its lock in time, so it
stops leader work at once, before PostgreSQL hands the lock to another replica; never two leaders.

The half-open connection is real: the leader talks to PostgreSQL through a loopback TCP relay
that, when frozen, keeps every socket open and accepts data but forwards nothing, as a network
partition or a dead NAT entry does.
"""

from __future__ import annotations

import socket
import threading
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.app.leader import Leadership
from storage.db import make_engine


class FreezableRelay:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.flowing = threading.Event()
        self.flowing.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.flowing.clear()

    def close(self) -> None:
        self.flowing.set()
        for s in [self.listener, *self.sockets]:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.flowing.wait()  # frozen: the bytes are taken (and acknowledged) but go nowhere
                sink.sendall(data)
        except OSError:
            pass


def test_a_leader_that_cannot_confirm_its_lock_steps_down_before_another_takes_over(pg_database_url):
    url = make_url(pg_database_url)
    relay = FreezableRelay((url.host or "127.0.0.1", url.port or 5432))
    via_relay = make_engine(url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False))
    direct = make_engine(pg_database_url)
    log: list[tuple[str, float]] = []
    a = Leadership(via_relay, check_every=0.2, confirm_timeout=1.0, name="a",
                   on_elected=[lambda: log.append(("a up", time.monotonic()))],
                   on_demoted=[lambda: log.append(("a down", time.monotonic()))])
    b = Leadership(direct, check_every=0.2, confirm_timeout=1.0, name="b",
                   on_elected=[lambda: log.append(("b up", time.monotonic()))])
    try:
        a.start()
        assert a.wait(True, 5)
        b.start()
        assert not b.wait(True, 0.5)

        frozen_at = time.monotonic()
        relay.freeze()  # a's lock connection is now half-open; PostgreSQL still sees a healthy client
        assert a.wait(False, 5), "a kept leading on a connection it could not use"
        stepped_down = dict(log)["a down"] - frozen_at
        assert stepped_down < a.check_every + a.confirm_timeout + 1.0, f"a stepped down after {stepped_down:.1f} s"
        assert not b.is_leader  # the lock still sits on a's old backend: still only one leader (none)

        # PostgreSQL eventually drops the dead client (its keep-alives) and with it the lock: b leads.
        with direct.connect() as admin:
            pids = admin.execute(text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")).scalars()
            for pid in list(pids):
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert b.wait(True, 5)
        assert [what for what, _ in log] == ["a up", "a down", "b up"]
        assert not a.is_leader
    finally:
        relay.close()
        b.stop()
        a.stop()
        via_relay.dispose()
        direct.dispose()


def test_leader_queries_and_every_postgresql_connection_are_bounded(pg_database_url):
    engine = make_engine(pg_database_url)
    try:
        with engine.connect() as conn:
            params = conn.connection.dbapi_connection.info.get_parameters()
        # A dead server or a vanished peer ends a wait in seconds, not in the kernel's hours.
        assert params["connect_timeout"] == "10" and params["keepalives"] == "1"
        assert params["keepalives_idle"] == "30" and params["tcp_user_timeout"] == "30000"
        with engine.connect() as conn:
            # Plans made for the values at hand (storage/db.py: a generic plan of the batch's
            # 500-value IN lists scanned the whole platform's handles row by row).
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        leader = Leadership(engine, confirm_timeout=1.5)
        conn = leader._connect()  # the lock's own connection: the server stops any query after 1.5 s
        try:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "1500ms"
        finally:
            conn.invalidate()
            conn.close()
    finally:
        engine.dispose()
