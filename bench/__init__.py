"""Benchmarks behind `make bench`: seeded PostgreSQL databases at two scales, page latency and
throughput over HTTP against gunicorn, queries per page, and clause-pack PDF rendering."""
