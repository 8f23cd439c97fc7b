"""quarantined_post: feed posts that could not be stored, with the reason (issue 17, item 5)

Revision ID: 0012_quarantined_post
Revises: 0011_bluesky
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa



revision = '0012_quarantined_post'
down_revision = '0011_bluesky'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'quarantined_post',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('query_key', sa.String(length=200), nullable=True),
        sa.Column('external_id', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source', 'external_id', name='uq_quarantined_post_source_external'),
    )
    with op.batch_alter_table('quarantined_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantined_post_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quarantined_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantined_post_created_at'))
    op.drop_table('quarantined_post')
