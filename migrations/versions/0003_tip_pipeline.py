"""tip pipeline: agencies, cases, tips, requesters, coordinator invites

Unmatched messages become tips, stored before any job is queued; tips that say the same thing join one
case with many requesters; cases are routed to an agency whose coordinators (users with an agency) give
the verdict that turns the case into a claim.

Revision ID: 0003_tip_pipeline
Revises: 0002_claim_matching
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_tip_pipeline'
down_revision = '0002_claim_matching'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('sla_hours', sa.Double(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('coordinator_invites',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], ),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'taken', 'answered', name='casestatus', native_enum=False, length=16), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('agency_code', sa.String(length=32), nullable=True),
    sa.Column('routed_by', sa.String(length=40), nullable=True),
    sa.Column('routing_reason', sa.Text(), nullable=True),
    sa.Column('requester_count', sa.Integer(), nullable=False),
    sa.Column('taken_by', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.String(length=64), nullable=True),
    sa.Column('embedding', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], ),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ),
    sa.ForeignKeyConstraint(['taken_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_agency_code'), ['agency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)

    op.create_table('case_requesters',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'user_id')
    )
    op.create_table('tips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_type', sa.String(length=10), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tips_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tips_routed_at'), ['routed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tips_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tips_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('claims_verified_by_fkey', 'users', ['verified_by'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('state', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('state_data', sa.JSON(), nullable=True))
        batch_op.create_foreign_key('users_agency_code_fkey', 'agencies', ['agency_code'], ['code'])



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('users_agency_code_fkey', type_='foreignkey')
        batch_op.drop_column('state_data')
        batch_op.drop_column('state')
        batch_op.drop_column('agency_code')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint('claims_verified_by_fkey', type_='foreignkey')
        batch_op.drop_column('verified_by')

    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tips_user_id'))
        batch_op.drop_index(batch_op.f('ix_tips_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_tips_routed_at'))
        batch_op.drop_index(batch_op.f('ix_tips_case_id'))

    op.drop_table('tips')
    op.drop_table('case_requesters')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_agency_code'))

    op.drop_table('cases')
    op.drop_table('coordinator_invites')
    op.drop_table('agencies')
