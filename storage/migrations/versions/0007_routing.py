"""routing: decision on the case, crisis-mode switches, spike alerts

case.routing: the routing decision and its explanation (JSON).
case.parent_id: the incident (parent case) a case was grouped under.
topic_mode_switch: append-only log of crisis/normal switches per topic (newest row in force).
spike_alert: spikes already alerted, unique per topic, sentiment and window.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa



revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('routing', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key('fk_case_parent_id_case', 'case', ['parent_id'], ['id'])

    op.create_table(
        'topic_mode_switch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=64), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_topic_mode_switch_topic', 'topic_mode_switch', ['topic', 'id'], unique=False)

    op.create_table(
        'spike_alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=64), nullable=False),
        sa.Column('sentiment', sa.String(length=16), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expected', sa.Float(), nullable=False),
        sa.Column('examples', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('topic', 'sentiment', 'window_start', name='uq_spike_alert_window'),
    )


def downgrade() -> None:
    op.drop_table('spike_alert')
    op.drop_index('ix_topic_mode_switch_topic', table_name='topic_mode_switch')
    op.drop_table('topic_mode_switch')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_case_parent_id_case', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_parent_id'))
        batch_op.drop_column('parent_id')
        batch_op.drop_column('routing')
