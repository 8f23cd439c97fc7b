"""adapter_status: each replica's Slack/Discord adapter state, for `status` (issue 17, item 4)

Revision ID: 0013_adapter_status
Revises: 0012_quarantined_post
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_adapter_status'
down_revision = '0012_quarantined_post'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'adapter_status',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('replica', sa.String(length=200), nullable=False),
        sa.Column('adapter', sa.String(length=32), nullable=False),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('detail', sa.String(length=300), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('replica', 'adapter', name='uq_adapter_status_replica_adapter'),
    )


def downgrade() -> None:
    op.drop_table('adapter_status')
