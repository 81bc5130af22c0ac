"""claim matching: stored embeddings, a catalog version for cheap change checks, verdict feedback

Matching needs each claim's embedding once (not per process start), a single version number every web and
worker process can poll to see new or changed claims, and a place for citizens' 👍/👎 on verdicts.

Revision ID: 0002_claim_matching
Revises: 0001_foundation
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_claim_matching'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claim_embeddings',
    sa.Column('claim_id', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=False),
    sa.Column('text_digest', sa.String(length=40), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id')
    )
    op.create_table('claim_catalog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('verdict_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.String(length=64), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('verdict_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdict_feedback_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdict_feedback_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('verdict_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdict_feedback_user_id'))
        batch_op.drop_index(batch_op.f('ix_verdict_feedback_claim_id'))
    op.drop_table('verdict_feedback')
    op.drop_table('claim_catalog')
    op.drop_table('claim_embeddings')
