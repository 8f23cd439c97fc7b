"""Bluesky: quarantined input frames

quarantined_input: frames a feed could not read (Jetstream frames that are not JSON or not an
event), kept verbatim with the reason. The Bluesky cursor itself lives in feed_cursor.

Revision ID: 0011_bluesky
Revises: 0010_mastodon
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa



revision = '0011_bluesky'
down_revision = '0010_mastodon'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'quarantined_input',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_quarantined_input_source', 'quarantined_input', ['source', 'received_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_quarantined_input_source', table_name='quarantined_input')
    op.drop_table('quarantined_input')
