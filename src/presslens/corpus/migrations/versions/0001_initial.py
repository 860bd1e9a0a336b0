"""Initial corpus schema: outlets, documents, annotations, links, syndication edges, runs, failures.

Full-text search: an FTS5 table over documents(title, body_text) kept in step by triggers on
SQLite; a GIN expression index on PostgreSQL.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("stages", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("stats", sa.Text, nullable=False),
    )
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("domain", sa.String(255)),
    )
    op.create_index("ix_outlets_domain", "outlets", ["domain"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id")),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("original_source_name", sa.Text),
        sa.Column("original_source_url", sa.Text),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_hash", sa.String(40), nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("fingerprints", sa.LargeBinary, nullable=False),
        sa.Column("document", sa.LargeBinary, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_outlet_id", "documents", ["outlet_id"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_body_hash", "documents", ["body_hash"])
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_annotations_document_id", "annotations", ["document_id"])
    op.create_index("ix_annotations_kind_label", "annotations", ["kind", "label"])
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_links_document_id", "links", ["document_id"])
    op.create_table(
        "syndication_edges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("target_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("lag_days", sa.Float),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("wrapper", sa.Text, nullable=False),
        sa.Column("passages", sa.Text, nullable=False),
        sa.UniqueConstraint("source_id", "target_id", name="uq_edge"),
    )
    op.create_index("ix_syndication_edges_source_id", "syndication_edges", ["source_id"])
    op.create_index("ix_syndication_edges_target_id", "syndication_edges", ["target_id"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_failures_run_id", "failures", ["run_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # External-content FTS5: the text lives once, in documents; triggers keep the index.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, body_text, content='documents', content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute(
            "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, title, body_text) "
            "VALUES (new.id, new.title, new.body_text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, body_text) "
            "VALUES ('delete', old.id, old.title, old.body_text); END"
        )
        op.execute(
            "CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, title, body_text) "
            "VALUES ('delete', old.id, old.title, old.body_text); "
            "INSERT INTO documents_fts(rowid, title, body_text) "
            "VALUES (new.id, new.title, new.body_text); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_fts ON documents USING GIN "
            "(to_tsvector('english', coalesce(title, '') || ' ' || body_text))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("documents_ai", "documents_ad", "documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in ("failures", "syndication_edges", "links", "annotations", "documents", "outlets", "runs"):
        op.drop_table(table)
