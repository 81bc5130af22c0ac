"""lost job records: what housekeeping needs to re-derive the jobs a Redis restart loses

A case records when each SLA timer ran and a tip when its reference reply was sent, so timers and replies
whose jobs were lost can be run again; a partial index finds answered cases with requesters never told (a
lost fan-out). Rows from before are backfilled as done where their time has passed, so the upgrade sends
nobody a second reference, reminder or escalation.

Revision ID: 0009_lost_job_records
Revises: 0008_case_merges_and_splits
Create Date: 2026-12-03
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0009_lost_job_records'
down_revision = '0008_case_merges_and_splits'
branch_labels = None
depends_on = None

REQUESTER_UPDATE_AFTER = timedelta(hours=24)
"""workers.sla's, as it was when this ran."""


def upgrade() -> None:
    with op.batch_alter_table('case_requesters', schema=None) as batch_op:
        batch_op.create_index('ix_case_requesters_unnotified', ['case_id'], unique=False,
                              sqlite_where=sa.text('notified_at IS NULL'),
                              postgresql_where=sa.text('notified_at IS NULL'))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalation_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('requesters_updated_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_tips_acknowledged_at'), ['acknowledged_at'], unique=False)

    op.execute("UPDATE tips SET acknowledged_at = submitted_at WHERE submitted_at IS NOT NULL")
    _backfill_case_timers(datetime.now(UTC))


def _backfill_case_timers(now: datetime) -> None:
    """Timers whose time has passed ran then (their jobs were in Redis); those still ahead stay to run."""
    cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('created_at', sa.DateTime(timezone=True)),
                     sa.column('due_at', sa.DateTime(timezone=True)),
                     *(sa.column(name, sa.DateTime(timezone=True))
                       for name in ('reminded_at', 'escalation_checked_at', 'requesters_updated_at')))
    connection = op.get_bind()
    rows = connection.execute(sa.select(cases.c.id, cases.c.created_at, cases.c.due_at)
                              .where(cases.c.due_at.is_not(None))).all()
    for case_id, created_at, due_at in rows:
        created_at, due_at = (value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite: naive UTC
                              for value in (created_at, due_at))
        passed = {'reminded_at': created_at + (due_at - created_at) / 2, 'escalation_checked_at': due_at,
                  'requesters_updated_at': created_at + REQUESTER_UPDATE_AFTER}
        values = {name: when for name, when in passed.items() if when <= now}
        if values:
            connection.execute(sa.update(cases).where(cases.c.id == case_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tips_acknowledged_at'))
        batch_op.drop_column('acknowledged_at')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('requesters_updated_at')
        batch_op.drop_column('escalation_checked_at')
        batch_op.drop_column('reminded_at')

    with op.batch_alter_table('case_requesters', schema=None) as batch_op:
        batch_op.drop_index('ix_case_requesters_unnotified', sqlite_where=sa.text('notified_at IS NULL'),
                            postgresql_where=sa.text('notified_at IS NULL'))
