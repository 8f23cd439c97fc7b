"""case indexes for routing and grouping: queues, caseloads and incident candidates

Routing reads, for every ingest batch, the open cases nobody owns per team (the queues) and the
open cases each agent owns (caseloads). With only (state, priority) to go on, both read every
open case's row: 20 ms a batch at 18,000 open cases on SQLite, a quarter of the webhook's time at
100,000 posts. (state, assignee_id, team) answers both from the index alone.

Incident grouping reads, per batch and topic, the open cases without a parent of the last hour.
SQLite took the parent_id index for it and read every parentless case (7,000 "general" ones
among them) to keep a topic's 20: 7 ms a query. (topic, parent_id, abusive, opened_at): 0.1 ms.

Revision ID: 0017_case_indexes
Revises: 0016_abusive_flag
Create Date: 2026-12-04
"""
from alembic import op


revision = '0017_case_indexes'
down_revision = '0016_abusive_flag'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_state_assignee_team', 'case', ['state', 'assignee_id', 'team'])
    op.create_index('ix_case_topic_parent', 'case', ['topic', 'parent_id', 'abusive', 'opened_at'])


def downgrade() -> None:
    op.drop_index('ix_case_topic_parent', table_name='case')
    op.drop_index('ix_case_state_assignee_team', table_name='case')
