"""tip references: number submitted tips only

Every offer stores a draft tip, so a tip's id jumped (a citizen's first tip read T-000016). A reference is now
its own row, made when the tip is submitted. Tips submitted before keep the number they were given, their id,
and new numbers continue after the largest.

Revision ID: 0010_tip_references
Revises: 0009_lost_job_records
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010_tip_references'
down_revision = '0009_lost_job_records'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tip_references',
                    sa.Column('number', sa.Integer(), nullable=False),
                    sa.Column('tip_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['tip_id'], ['tips.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('number'),
                    sa.UniqueConstraint('tip_id'))
    op.execute("INSERT INTO tip_references (number, tip_id) SELECT id, id FROM tips WHERE submitted_at IS NOT NULL")
    if op.get_bind().dialect.name == 'postgresql':  # SQLite continues after the largest key by itself
        op.execute("SELECT setval(pg_get_serial_sequence('tip_references', 'number'), "
                   "COALESCE((SELECT MAX(number) FROM tip_references), 0) + 1, false)")


def downgrade() -> None:
    op.drop_table('tip_references')
