"""tip numbers and case details: number submitted tips only; keep what requesters send when asked for more

Every offer stores a draft tip, so a tip's id jumped (a citizen's first tip read T-000016). A reference is now
its own row, made when the tip is submitted. Tips submitted before keep the number they were given, their id,
and new numbers continue after the largest. A requester's answer to "ขอข้อมูลเพิ่ม" is kept on its case
(case_details) rather than checked as a new rumour.

Revision ID: 0010_tip_numbers_case_details
Revises: 0009_lost_job_records
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_tip_numbers_case_details'
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
    op.create_table('case_details',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('case_id', sa.Integer(), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=True),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('text', sa.Text(), nullable=True),
                    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
                    sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('case_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_details_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_details', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_details_case_id'))
    op.drop_table('case_details')
    op.drop_table('tip_references')
