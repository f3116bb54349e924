"""Anonymised trends: agencies' quarterly returns, disclosure control and the published summaries.

Layers, importing one way: `views` → `services` (writes) → `selectors` (reads) →
`groups.permissions` → `groups.models`. Beside them, pure modules that touch no database:
`quarters`, `categories`, `validation`, `disclosure`, `charts`, `figures` and `imports`
(reading a spreadsheet). The models stay in `groups.models.trends` and
`groups.models.summaries`, so the app label and migrations do not move.
"""
