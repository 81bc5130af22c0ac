"""group checks: what a group message matched, by LINE message id, for "@ช่วยเช็ก ตรวจ" on a reply to it

Only the message id, the claim and the band are kept, never the text, and only for 48 hours (housekeeping
purges older rows).

Revision ID: 0005_group_checks
Revises: 0004_knowledge
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005_group_checks'
down_revision = '0004_knowledge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_checks',
    sa.Column('message_id', sa.String(length=32), nullable=False),
    sa.Column('claim_id', sa.String(length=64), nullable=False),
    sa.Column('band', sa.String(length=16), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name='group_checks_claim_id_fkey', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id')
    )
    with op.batch_alter_table('group_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_checks_checked_at'), ['checked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('group_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_checks_checked_at'))

    op.drop_table('group_checks')
