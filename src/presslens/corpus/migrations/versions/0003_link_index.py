"""The linker's own index, so `ingest` links new documents without re-reading the whole store.

- `syndication_index`: the documents already linked (the others are linked next);
- `lsh_bands`: each document's MinHash bands (documents sharing a band are candidate copies);
- `fingerprint_postings`: each document's sampled shingle hashes (sharing several means a
  shared passage);
- `syndication_matches`: the verified pairs, so a component can be re-decided without
  re-aligning its old pairs.

A store migrated from 0002 has an empty index: its next `link` indexes every document, which
is the same as `link --full`.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _document_fk(name: str, primary_key: bool = True) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


def upgrade() -> None:
    op.create_table("syndication_index", _document_fk("document_id"))
    op.create_table(
        "lsh_bands",
        sa.Column("band", sa.BigInteger, primary_key=True, nullable=False),
        _document_fk("document_id"),
    )
    op.create_index("ix_lsh_bands_document_id", "lsh_bands", ["document_id"])
    op.create_table(
        "fingerprint_postings",
        sa.Column("hash", sa.BigInteger, primary_key=True, nullable=False),
        _document_fk("document_id"),
    )
    op.create_index("ix_fingerprint_postings_document_id", "fingerprint_postings", ["document_id"])
    op.create_table(
        "syndication_matches",
        _document_fk("doc_a"),
        _document_fk("doc_b"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("jaccard", sa.Float, nullable=False),
        sa.Column("contain_a", sa.Float, nullable=False),
        sa.Column("contain_b", sa.Float, nullable=False),
        sa.Column("passages", sa.Text, nullable=False),
    )
    op.create_index("ix_syndication_matches_doc_b", "syndication_matches", ["doc_b"])


def downgrade() -> None:
    for table in ("syndication_matches", "fingerprint_postings", "lsh_bands", "syndication_index"):
        op.drop_table(table)
