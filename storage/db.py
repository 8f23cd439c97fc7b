"""Engine and session set-up, and schema migration.

``DATABASE_URL`` selects the database: a SQLite file by default (zero set-up), PostgreSQL
through psycopg 3 in production (``postgresql+psycopg://user@host/db``). Plain
``postgresql://`` URLs are accepted and mapped to the psycopg 3 driver.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///mentiondesk.db"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def redacted(url: str) -> str:
    """The URL with its password hidden, for logs and CLI output."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        # One connection per thread; a busy timeout instead of instant "database is locked".
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # Bounded network waits (libpq parameters; a URL's own query parameters win): a connect to an
    # unreachable server fails after connect_timeout, and a peer that vanished without closing the
    # socket (half-open) is detected by keep-alive probes or by data left unacknowledged, instead
    # of a query blocking for hours. The leader relies on this (bot/app/leader.py).
    connect_args = dict(PG_CONNECT_ARGS)
    connect_args.update(kwargs.pop("connect_args", {}))
    for key in list(connect_args):
        if key in make_url(url).query:
            del connect_args[key]
    return create_engine(url, connect_args=connect_args, **kwargs)


#: libpq connection parameters every PostgreSQL connection gets: bounded network waits (seconds;
#: tcp_user_timeout in ms) and the plan cache mode.
#: ``plan_cache_mode=force_custom_plan``: psycopg prepares a statement run five times, and from
#: then on PostgreSQL may reuse a *generic* plan that sees ``handle IN ($2, …, $501)`` as
#: parameters: it then compares every row of the platform against the 500 values one by one
#: (60–300 ms per batch lookup, growing with the table; 40 of ingest's 130 s at 100,000 posts),
#: where a plan made for the values at hand hashes the list (3 ms). Planning these few
#: statements per batch again costs well under a millisecond each.
PG_CONNECT_ARGS = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                     "keepalives_count": 3, "tcp_user_timeout": 30_000,
                     "options": "-c plan_cache_mode=force_custom_plan"}


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if not _is_memory(dbapi_connection):
        # WAL lets readers (the CLI, the web console) work while the ingest loop writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        row = cursor.execute("PRAGMA database_list").fetchone()
        return not row or not row[2]
    finally:
        cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed at the end of the block, or rolled back whole."""
    with factory() as session, session.begin():
        yield session


# Tables other libraries own in our database; Alembic's autogenerate must not offer to drop them.
FOREIGN_TABLES = frozenset({"escalation_jobs"})  # APScheduler's job store (escalation/scheduler.py)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: compare only the tables our models own."""
    return not (type_ == "table" and reflected and name in FOREIGN_TABLES)


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # "%" must be doubled for configparser interpolation (passwords may contain it).
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (``mentiondesk db upgrade``)."""
    from alembic import command

    command.upgrade(alembic_config(database_url(url)), revision)


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Same as :func:`upgrade` on an existing engine (needed for in-memory SQLite)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


# Advisory lock key of the start-up section; differs from the leader's (bot/app/leader.py LOCK_KEY).
STARTUP_LOCK_KEY = 0x6D656E74696F6E + 1


@contextmanager
def startup_lock(engine: Engine, *, timeout_seconds: int = 120) -> Iterator[None]:
    """Run the start-up section (schema migration, syncing the configured directory) in one
    process at a time.

    Replicas started together on a fresh PostgreSQL database would otherwise race each other
    through the migrations (``CREATE TABLE`` collides in the catalogue) and through inserting the
    same configured teams and agents (unique violations). A session advisory lock on a
    connection of its own serialises them; a process that dies inside the section loses its
    connection and so the lock. The others then find the work done and change nothing.

    On a SQLite file the same race exists between processes (``table … already exists``,
    ``database is locked``), so the section takes an exclusive ``flock`` on a file beside the
    database (``<db>.startup-lock``), released when the process ends however it ends. Not on the
    database file itself: closing any other descriptor of that file would drop SQLite's own locks.
    """
    if engine.dialect.name == "sqlite":
        with _sqlite_startup_lock(engine, timeout_seconds):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # Bounded: a wedged peer must not hang every other replica's start-up forever.
        conn.execute(text(f"SET lock_timeout = '{int(timeout_seconds)}s'"))
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})


@contextmanager
def _sqlite_startup_lock(engine: Engine, timeout_seconds: int) -> Iterator[None]:
    import fcntl
    import time

    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # in memory: one connection, one process
        return
    lock_path = Path(database).with_name(Path(database).name + ".startup-lock")
    try:
        handle = open(lock_path, "a")
    except OSError:  # no such directory: connecting fails too, with the database's own error
        yield
        return
    with handle:
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another process holds {lock_path} (start-up) for more than "
                                       f"{timeout_seconds} s") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: PostgreSQL: deadlock_detected, serialization_failure. The transaction was rolled back whole.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def is_retryable(exc: BaseException) -> bool:
    """A database error after which running the same transaction again is safe and may succeed."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRYABLE_SQLSTATES
