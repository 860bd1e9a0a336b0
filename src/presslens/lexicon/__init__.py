"""One place for language data: dates, month names, bylines, quote marks.

Data flow: no stage of its own. `anatomy` (datelines, bylines, credit lines, HTML metadata) and
`analyze` (the timeline, quotes) import what they need from here, so a language is added once:
`dates` holds month and weekday names and the one date-to-ISO function, `bylines` the words a
byline starts with, per language.
"""
