"""long claim fields: AFNC's agency cells and links can be longer than the first columns allowed

75 seed links are over 1,000 characters (percent-encoded Thai titles) and one agency cell is 494: PostgreSQL
refused them, so these columns become TEXT.

Revision ID: 0007_long_claim_fields
Revises: 0006_volunteers
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_long_claim_fields'
down_revision = '0006_volunteers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.alter_column('agency',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.Text(),
               existing_nullable=True)
        batch_op.alter_column('source_url',
               existing_type=sa.VARCHAR(length=1000),
               type_=sa.Text(),
               existing_nullable=True)



def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.alter_column('source_url',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=1000),
               existing_nullable=True)
        batch_op.alter_column('agency',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=200),
               existing_nullable=True)

