"""refusal_tally: refusals of unknown users collapsed to one event per user and window

refusal_tally: per (platform, user_id, window_start) the number of refusals, the first and last
case and action; the first refusal of a window is still an event (issue 17, item 11).

Revision ID: 0014_refusal_tally
Revises: 0013_adapter_status
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_refusal_tally'
down_revision = '0013_adapter_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'refusal_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=200), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('first_case_id', sa.Integer(), nullable=True),
        sa.Column('last_case_id', sa.Integer(), nullable=True),
        sa.Column('last_action', sa.String(length=32), nullable=False),
        sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'user_id', 'window_start', name='uq_refusal_tally_window'),
    )


def downgrade() -> None:
    op.drop_table('refusal_tally')
