"""case cards, outbox, inbound deliveries

case_message: one card per case and team channel (posted once, updated in place, retried while
pending). outbox: replies on their way back to the customer, unique idempotency key.
inbound_delivery: platform deliveries already processed, so a retried event is a no-op.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('delivery_key', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'delivery_key', name='uq_inbound_delivery_platform_key')
    )
    with op.batch_alter_table('inbound_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_delivery_received_at'), ['received_at'], unique=False)

    op.create_table('case_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('state', sa.Enum('pending', 'posting', 'posted', name='card_state', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'platform', 'channel', name='uq_case_message_case_platform_channel')
    )
    with op.batch_alter_table('case_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_message_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_message_message', ['platform', 'channel', 'message_id'], unique=False)
        batch_op.create_index('ix_case_message_state', ['state', 'next_attempt_at'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'private', name='visibility', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('pending', 'awaiting_approval', 'sent', 'failed', name='outbox_state', native_enum=False, length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('in_reply_to', sa.String(length=100), nullable=True),
    sa.Column('author_agent_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_agent_id'], ['agent.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_state', ['state', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state')
        batch_op.drop_index(batch_op.f('ix_outbox_case_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('case_message', schema=None) as batch_op:
        batch_op.drop_index('ix_case_message_state')
        batch_op.drop_index('ix_case_message_message')
        batch_op.drop_index(batch_op.f('ix_case_message_case_id'))

    op.drop_table('case_message')
    with op.batch_alter_table('inbound_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_delivery_received_at'))

    op.drop_table('inbound_delivery')
