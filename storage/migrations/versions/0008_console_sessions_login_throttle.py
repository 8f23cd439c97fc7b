"""console hardening: revocable sessions, login throttling

agent_credential.session_epoch: bumped by logout and password changes; cookies carry it.
login_throttle: login attempts per account name and per client address, with lockouts.

Revision ID: 0008_console_hardening
Revises: 0007
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_console_hardening'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agent_credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))

    op.create_table(
        'login_throttle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scope', 'key', name='uq_login_throttle_scope_key'),
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
    with op.batch_alter_table('agent_credential', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
