"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import make_engine, upgrade
from storage.models import Base


def test_migrations_match_models(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        tables = set(inspect(conn).get_table_names())
    assert {"mention", "case", "event", "customer", "customer_handle", "agent", "team", "agent_team"} <= tables
    upgrade(database_url)  # running it again is a no-op
    engine.dispose()
