"""record printouts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_printouts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("owner_masked", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("issuer_name", sa.String(length=300), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_record_printouts_person_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_printouts")),
    )
    with op.batch_alter_table("record_printouts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_printouts_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_printouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_printouts_person_id"))
    op.drop_table("record_printouts")
