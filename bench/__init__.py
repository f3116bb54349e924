"""Benchmarks and reports: tools run from the Makefile, not part of the site.

`harness` holds what the benchmarks share (a throwaway PostgreSQL database, gunicorn,
HTTP to 127.0.0.1 only, wrk, results in .bench/); `pages`, `feedback` and `trends` are
the benchmarks, `pii_report` the personal-data screen's figures. None of it is copied
into the Docker image (.dockerignore).
"""
