"""Mastodon source: quarantined feed events

feed_quarantine: stream events that could not become a mention (malformed frame, not a status),
kept as received with the reason; ``mentiondesk status`` and /metrics count them per source.

Revision ID: 0010_mastodon
Revises: 0009_privacy
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa



revision = '0010_mastodon'
down_revision = '0009_privacy'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feed_quarantine',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('stream', sa.String(length=200), nullable=False),
        sa.Column('event', sa.String(length=64), nullable=True),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_feed_quarantine_source', 'feed_quarantine', ['source', 'received_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_feed_quarantine_source', table_name='feed_quarantine')
    op.drop_table('feed_quarantine')
