"""images: pictures citizens forward, with their perceptual hashes and OCR text

Revision ID: 0011_images
Revises: 0010_tip_numbers_case_details
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011_images'
down_revision = '0010_tip_numbers_case_details'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('tip_id', sa.Integer(), nullable=True),
        sa.Column('claim_id', sa.String(length=64), nullable=True),
        sa.Column('phash', sa.String(length=16), nullable=False),
        sa.Column('dhash', sa.String(length=16), nullable=False),
        sa.Column('ocr_text', sa.Text(), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('content_type', sa.String(length=32), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['tip_id'], ['tips.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_images_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_images_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_images_tip_id'), ['tip_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_images_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('images')
