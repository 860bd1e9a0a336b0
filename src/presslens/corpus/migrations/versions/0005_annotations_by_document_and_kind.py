"""Annotations indexed by (document, kind) instead of by document alone.

Linking reads a chunk's credit and boilerplate annotations with `kind = ? AND document_id IN
(…)`. With an index on `document_id` and another on `(kind, label)`, SQLite (no statistics)
took the one on `kind`, so every chunk of 900 documents scanned every credit annotation of the
store: at a million documents 615k rows a chunk, 34 of the 70 s that deciding three chunks
took — the part of linking that grew fastest with the store. The composite index answers both
predicates, and still serves every lookup by document alone (deletes, cascades, the document
view); so it replaces the single-column one rather than adding a third index to write.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_annotations_document_kind", "annotations", ["document_id", "kind"])
    op.drop_index("ix_annotations_document_id", table_name="annotations")


def downgrade() -> None:
    op.create_index("ix_annotations_document_id", "annotations", ["document_id"])
    op.drop_index("ix_annotations_document_kind", table_name="annotations")
