"""presslens.web — the web app and REST API (FastAPI + Jinja2), the last surface of the data flow.

corpus store → the corpus query layer (`presslens.corpus.query`, `.search`, `.profiles`,
`.graph`) → `api.py` (JSON under `/api`, OpenAPI at `/docs`) and `pages.py` (server-rendered
pages that read without JavaScript; `static/graph.js` draws the syndication graph). `analysis.py` runs the
pipeline on pasted text, uploads and URLs (through the safe fetcher); `security.py` holds the
guards (bearer token for writes, 413 body cap, analyze rate limit, CSP).

    from presslens.web.app import create_app
    app = create_app("sqlite:///corpus.sqlite", token="secret")   # or: presslens serve --db URL
"""
