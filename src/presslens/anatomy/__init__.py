"""presslens.anatomy — a page taken apart: article body vs wrapper, and what the wrapper says.

Data flow: ingest -> **anatomy** -> analyze. The document maker (`text.DocumentMaker`,
registered as `"document"`) turns a `RawPage` into a `Document` (plain text verbatim; HTML parsed
once and laid out, the parsed page kept in `doc.user_data`); then three stages, each run once
and grouped as `"anatomy"` (`stage`): `body`, `metadata`, `wrapper`. One job per module:

- HTML: `htmltree` (parse, visible blocks), `article` (which blocks are the article),
  `htmlpage` (the text laid out: header, article, rest; the map back to elements),
  `htmlcontext` + `jsonld` (what the metadata readers see), `htmlfields` (title, authors,
  publisher, dates, language, URLs), `htmllinks` (links, media, tags)
- text: `paragraphs` (offsets), `dehyphen`, `markup` (clean-up views mapped back),
  `boilerplate` (wrapper kinds by cue score), `header` (byline, dateline, tag-line, title and
  copyright-holder parsers), `credits` (republication chain), `layout` (paragraph roles and the
  body finder), `facts` (metadata from the text, merged under the markup's)
- wrapper: `funding` (+ `checksums`), `contacts`, `wrapper` (a page's funding and contacts)
- `media`, `language`, `scan` (bounded scanning), `evaluate` (the extraction benchmark's scorer)

Language data (month names, byline words) lives in `presslens.lexicon`.
"""
