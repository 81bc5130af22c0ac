"""volunteers: registrations of digital volunteers (อสด.), and a tip's province for province trends

Revision ID: 0006_volunteers
Revises: 0005_group_checks
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_volunteers'
down_revision = '0005_group_checks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('volunteers',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', name='volunteerstatus', native_enum=False, length=16), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='volunteers_user_id_fkey', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteers_status'), ['status'], unique=False)

    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_code', sa.String(length=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_tips_province_code'), ['province_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tips_province_code'))
        batch_op.drop_column('province_code')

    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteers_status'))

    op.drop_table('volunteers')
