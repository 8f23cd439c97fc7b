"""escalation: chain snapshot on the case, at-most-once event keys

case.escalation: the chain and SLA chosen when the case opened (JSON).
event.dedupe_key: unique key of events that must be written at most once (escalation steps,
SLA warnings and breaches), so a restart or a duplicate timer never pings twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalation', sa.JSON(), nullable=True))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_event_dedupe_key', ['dedupe_key'])


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_event_dedupe_key', type_='unique')
        batch_op.drop_column('dedupe_key')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('escalation')
