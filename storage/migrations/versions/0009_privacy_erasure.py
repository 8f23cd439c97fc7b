"""privacy: when a customer's or a case's personal data was erased

customer.erased_at, case.erased_at, mention.erased_at: set by `mentiondesk customer forget`
and by retention (bot/privacy/); the rows stay, anonymous, so reports still add up.

Revision ID: 0009_privacy
Revises: 0008_console_hardening
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_privacy'
down_revision = '0008_console_hardening'
branch_labels = None
depends_on = None

TABLES = ('customer', 'case', 'mention')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('erased_at')
