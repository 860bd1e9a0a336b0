"""Syndication relations kept apart, and credited originals outside the crawl as outlet nodes.

- `syndication_edges.relation`: `copy` (B republishes A's article), `reuse` (a passage of A in
  B's own text) or `common_source` (both carry the same third-party text). Existing edges of
  kind `passage` were reuse; everything else was a copy (or a variant of one page).
- `syndication_edges.directed`: False for edges that say "these two share text" without saying
  who took it from whom (common sources, reuse with no evidence of direction).
- `syndication_edges.source_outlet_id`: the source of an edge may be an outlet instead of a
  document — the original a page credits when that original is not in the crawl — so
  `source_id` becomes nullable.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite cannot drop NOT NULL or add a foreign key in place, so Alembic copies
    # the table (it has no triggers); on PostgreSQL these are plain ALTER TABLE statements.
    with op.batch_alter_table("syndication_edges") as batch:
        batch.add_column(sa.Column("relation", sa.String(16), nullable=False, server_default="copy"))
        batch.add_column(sa.Column("directed", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("source_outlet_id", sa.Integer, nullable=True))
        batch.alter_column("source_id", existing_type=sa.Integer, nullable=True)
        batch.create_foreign_key(
            "fk_syndication_edges_source_outlet", "outlets", ["source_outlet_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_syndication_edges_source_outlet_id", ["source_outlet_id"])
        batch.create_index("ix_syndication_edges_relation", ["relation"])
    op.execute("UPDATE syndication_edges SET relation = 'reuse' WHERE kind = 'passage'")


def downgrade() -> None:
    op.execute("DELETE FROM syndication_edges WHERE source_id IS NULL OR relation = 'common_source'")
    with op.batch_alter_table("syndication_edges") as batch:
        batch.drop_index("ix_syndication_edges_relation")
        batch.drop_index("ix_syndication_edges_source_outlet_id")
        batch.drop_constraint("fk_syndication_edges_source_outlet", type_="foreignkey")
        batch.alter_column("source_id", existing_type=sa.Integer, nullable=False)
        batch.drop_column("source_outlet_id")
        batch.drop_column("directed")
        batch.drop_column("relation")
