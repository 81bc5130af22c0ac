"""routing reasons without scores: stored case reasons lose the agency code and percentages they once showed

Case cards read `cases.routing_reason` as stored. Reasons written before issue 13 item 4 carried an agency code
and a score ("… (ใกล้เคียงที่สุด: pea 13%)", "หมวดการเงิน-หุ้น (62%) …"), which coordinators must not see.

Revision ID: 0012_unscored_reasons
Revises: 0011_images
Create Date: 2026-12-03
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = '0012_unscored_reasons'
down_revision = '0011_images'
branch_labels = None
depends_on = None

SCORES = re.compile(r" \(ใกล้เคียงที่สุด: [^)]*\)| \(\d+%\)")


def upgrade() -> None:
    cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('routing_reason', sa.Text()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(cases.c.id, cases.c.routing_reason)
                              .where(cases.c.routing_reason.like('%\\%%', escape='\\'))).all()
    for case_id, reason in rows:
        connection.execute(sa.update(cases).where(cases.c.id == case_id)
                           .values(routing_reason=SCORES.sub("", reason)))


def downgrade() -> None:
    """The scores are gone for good; nothing to restore."""
