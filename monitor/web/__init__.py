"""The web dashboard: one Starlette app serving the page, its JSON API, /healthz and /metrics.

`app.build_app` makes the app; `server.WebServer` runs it under uvicorn on a thread, beside
the scheduler (`serve`) or alone (`dashboard`). Every request reads the store through its
own read-only connection, SQLite or PostgreSQL (`readonly.open_readonly`), and never
writes.
"""
