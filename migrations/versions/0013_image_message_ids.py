"""image message ids: a picture remembers which LINE message it came from

The job that answers a picture stores it (and its draft tip) before the answer is sent; when sending fails the
job runs again. The message id lets the retry find what the first attempt stored instead of storing a second
picture and draft tip.

Revision ID: 0013_image_message_ids
Revises: 0012_unscored_reasons
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013_image_message_ids'
down_revision = '0012_unscored_reasons'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_message_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_images_line_message_id'), ['line_message_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_images_line_message_id'))
        batch_op.drop_column('line_message_id')
