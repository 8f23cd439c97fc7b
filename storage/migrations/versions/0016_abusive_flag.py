"""abusive flag: insults, harassment or threats at the brand or its staff (bot/triage/abuse.py)

case.abusive: any post of the case was flagged (a flag, not an intent); case.abuse: what kind,
for the card ("insults staff"). mention.abusive: that post's own triage result. Existing rows
are not abusive (server default false).

Revision ID: 0016_abusive_flag
Revises: 0010_reply_drafts
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_abusive_flag'
down_revision = '0010_reply_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abusive', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('abuse', sa.String(length=200), nullable=True))
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abusive', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_column('abusive')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('abuse')
        batch_op.drop_column('abusive')
