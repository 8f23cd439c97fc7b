"""reply drafts: who is drafting a reply on a case, and what they typed

reply_draft: one row per case and agent (bot/desk/drafts.py); lease_until is the drafting lease
the card and console show, text survives a closed Reply dialog.
outbox.template: a reply as written with template variables, filled in per incident child.

Revision ID: 0010_reply_drafts
Revises: 0014_refusal_tally
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_reply_drafts'
down_revision = '0014_refusal_tally'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reply_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agent_id'], ['agent.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'agent_id', name='uq_reply_draft_case_agent'),
    )
    op.create_index(op.f('ix_reply_draft_case_id'), 'reply_draft', ['case_id'], unique=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('template')
    op.drop_index(op.f('ix_reply_draft_case_id'), table_name='reply_draft')
    op.drop_table('reply_draft')
