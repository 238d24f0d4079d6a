"""The site shell: what sits above every app (the dashboard and the logs pages, sign-in and the second factor,
the header). It may import the apps; the core modules of ``mopr`` (calendar, deadlines, outbox, documents,
procedures, access log, history, exports, uploads, memo) never do (tests/core/test_layers.py)."""
