"""X feed cursors and the relay's outbox columns

feed_cursor: since_id, health, back-off and read-quota use per polled query.
outbox: kind (reply / like / repost), recipient of a private reply, the sent post's URL,
next attempt after a transient error, and when a send started (state ``sending``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa



revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feed_cursor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('query_key', sa.String(length=200), nullable=False),
        sa.Column('brand', sa.String(length=100), nullable=True),
        sa.Column('since_id', sa.String(length=100), nullable=True),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_polled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('month', sa.String(length=7), nullable=True),
        sa.Column('reads_this_month', sa.Integer(), nullable=False),
        sa.Column('reads_per_hour', sa.Float(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source', 'query_key', name='uq_feed_cursor_source_query'),
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('reply', 'like', 'repost', name='outbox_kind',
                                                      native_enum=False, length=32),
                                      nullable=False, server_default='reply'))
        batch_op.add_column(sa.Column('recipient_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('external_url', sa.String(length=2048), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sending_since', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('sending_since')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('external_url')
        batch_op.drop_column('recipient_id')
        batch_op.drop_column('kind')
    op.drop_table('feed_cursor')
