"""case merges and splits: a merged case points at where it went, a split-out case at where it came from

A case a coordinator folds into another is closed with the status `merged` and `merged_into_id`; a case made of
a wording split out of another keeps `split_from_id`, so a verdict on either never closes the other on its own.

The status is a VARCHAR(16) without a CHECK constraint, so the new value `merged` needs no change there.

Revision ID: 0008_case_merges_and_splits
Revises: 0007_long_claim_fields
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_case_merges_and_splits'
down_revision = '0007_long_claim_fields'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('split_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('cases_merged_into_id_fkey', 'cases', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key('cases_split_from_id_fkey', 'cases', ['split_from_id'], ['id'])


def downgrade() -> None:
    # The older code cannot load the status `merged`: those cases stay closed, as `answered` without a claim.
    op.execute("UPDATE cases SET status = 'answered' WHERE status = 'merged'")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('cases_split_from_id_fkey', type_='foreignkey')
        batch_op.drop_constraint('cases_merged_into_id_fkey', type_='foreignkey')
        batch_op.drop_column('split_from_id')
        batch_op.drop_column('merged_into_id')
