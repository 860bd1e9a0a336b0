"""presslens.anatomy — a page taken apart: article body vs wrapper, and what the wrapper says.

Data flow: ingest -> **anatomy** -> analyze. `text.make_document` turns a `RawPage` into a
`Document` (plain text verbatim; HTML through `html.html_to_document`), then the `anatomy`
pipeline stage (`stage.Anatomy`) sets `body`, `boilerplate` and `metadata`. One job per module:

- `paragraphs`  blank-line paragraphs with exact offsets
- `dehyphen`    words split across a break ("Syrian-Iranian-" / "Russian"), joined with an offset map
- `markup`      markdown-ish clean-up view ([text](url), <autolinks>, *emphasis*) mapped back to offsets
- `boilerplate` wrapper kinds by scored, general cue patterns
- `header`      byline, dateline, tag-line, title and copyright-holder parsers
- `credits`     original source / republication chain ("The original source…", "Source:", "according to")
- `layout`      paragraph roles and the body finder
- `facts`       metadata from the laid-out text, merged under HTML metadata
- `dates`, `media`, `funding` (+ `checksums`), `contacts`, `language`, `scan` (bounded scanning)
"""
