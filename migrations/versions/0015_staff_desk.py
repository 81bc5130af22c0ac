"""staff desk: web desk accounts, daily claim match counts, and the indexes the desk's pages need

Revision ID: 0015_staff_desk
Revises: 0013_image_message_ids
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015_staff_desk'
down_revision = '0013_image_message_ids'
branch_labels = None
depends_on = None

OPEN = "status IN ('open', 'taken')"


def upgrade() -> None:
    op.create_table(
        'staff_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('agency_code', sa.String(length=32), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('session_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['agency_code'], ['agencies.code']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('email'),
    )
    op.create_table(
        'claim_match_days',
        sa.Column('claim_id', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('matches', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('claim_id', 'day'),
    )
    op.create_index('ix_claim_match_days_day', 'claim_match_days', ['day'], unique=False)
    op.create_index('ix_cases_open_queue', 'cases', ['agency_code', 'requester_count', 'created_at'], unique=False,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index('ix_cases_created_at', 'cases', ['created_at', 'category'], unique=False)
    op.create_index('ix_cases_answered_at', 'cases', ['answered_at'], unique=False)
    op.create_index('ix_cases_category', 'cases', ['category'], unique=False)
    op.create_index('ix_cases_figures', 'cases', ['agency_code', 'status', 'created_at', 'answered_at', 'due_at'],
                    unique=False)
    op.create_index('ix_tips_trends', 'tips', ['submitted_at', 'case_id', 'user_id', 'province_code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tips_trends', table_name='tips')
    op.drop_index('ix_cases_figures', table_name='cases')
    op.drop_index('ix_cases_category', table_name='cases')
    op.drop_index('ix_cases_answered_at', table_name='cases')
    op.drop_index('ix_cases_created_at', table_name='cases')
    op.drop_index('ix_cases_open_queue', table_name='cases')
    op.drop_index('ix_claim_match_days_day', table_name='claim_match_days')
    op.drop_table('claim_match_days')
    op.drop_table('staff_accounts')
