"""knowledge: centres, courses, sessions, interests, faq

The bot's practical side: community digital centres, digital-skills courses and their dated sessions,
users' "สนใจ" in a session (for the day-before reminder), and FAQ entries. Users' province and district
become geothai's string codes, as centres use.

Revision ID: 0004_knowledge
Revises: 0003_tip_pipeline
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_knowledge'
down_revision = '0003_tip_pipeline'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('centres',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('type', sa.Enum('ศูนย์ดิจิทัลชุมชน', 'จุดบริการอินเทอร์เน็ตสาธารณะ', 'other', name='centretype', native_enum=False, length=40), nullable=False),
    sa.Column('hosts', sa.JSON(), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=True),
    sa.Column('district_code', sa.String(length=4), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('location_precision', sa.Enum('exact', 'subdistrict', 'district', 'province', name='locationprecision', native_enum=False, length=16), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('opening_hours', sa.String(length=300), nullable=True),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('opened_on', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centres_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_centres_province_code'), ['province_code'], unique=False)

    op.create_table('courses',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('provider', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('format', sa.Enum('onsite', 'online', 'hybrid', name='courseformat', native_enum=False, length=16), nullable=False),
    sa.Column('hours', sa.Double(), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('audience', sa.Text(), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('faq_entries',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=1000), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('course_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_code', sa.String(length=64), nullable=False),
    sa.Column('centre_code', sa.String(length=64), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('registration_url', sa.String(length=1000), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['centre_code'], ['centres.code'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_code'], ['courses.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_code', 'centre_code', 'starts_at', name='uq_course_sessions_run')
    )
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_sessions_centre_code'), ['centre_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_course_code'), ['course_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_starts_at'), ['starts_at'], unique=False)

    op.create_table('course_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'user_id', name='uq_course_interests_session_user')
    )
    with op.batch_alter_table('course_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_interests_remind_at'), ['remind_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_interests_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_interests_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('province_code',
               existing_type=sa.INTEGER(),
               type_=sa.String(length=2),
               existing_nullable=True,
               postgresql_using='province_code::varchar(2)')
        batch_op.alter_column('district_code',
               existing_type=sa.INTEGER(),
               type_=sa.String(length=4),
               existing_nullable=True,
               postgresql_using='district_code::varchar(4)')



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('district_code',
               existing_type=sa.String(length=4),
               type_=sa.INTEGER(),
               existing_nullable=True,
               postgresql_using='district_code::integer')
        batch_op.alter_column('province_code',
               existing_type=sa.String(length=2),
               type_=sa.INTEGER(),
               existing_nullable=True,
               postgresql_using='province_code::integer')

    with op.batch_alter_table('course_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_interests_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_interests_session_id'))
        batch_op.drop_index(batch_op.f('ix_course_interests_remind_at'))

    op.drop_table('course_interests')
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_sessions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_course_code'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_centre_code'))

    op.drop_table('course_sessions')
    op.drop_table('faq_entries')
    op.drop_table('courses')
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centres_province_code'))
        batch_op.drop_index(batch_op.f('ix_centres_district_code'))

    op.drop_table('centres')
