"""The production web server's settings: ``gunicorn -c python:smeladder.gunicorn_conf
smeladder.wsgi:application`` (``make serve``). The load benchmark (bench/bench_web.py) starts
gunicorn with this very file, so what it measures is what ships.

Sync workers, one request at a time per process, as many processes as twice the cores. Measured
on 2 cores with 20 clients sending back to back (bench, 2026-11-30): gthread workers with
keep-alive (4 × 4 threads) served about as many requests a second, but a kept-alive connection
stays with the process that accepted it, so an unlucky process held more clients than its share
and the slowest requests took 3–6 times the median (p99 ≈ 500–900 ms for a median of 50–150).
Sync workers take each request from the one accept queue, oldest first, and their p99 stayed
within 1.2–1.5 times the median. What sync workers give up is keep-alive and protection from
slow clients: behind a buffering proxy (nginx) that does not matter; on an intranet, clients
are fast. Override with the environment, e.g. ``SMELADDER_WORKERS=8``."""

from __future__ import annotations

import os

bind = os.environ.get("SMELADDER_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("SMELADDER_WORKERS", 2 * (os.cpu_count() or 1)))
# a screening export or a large Excel import may take a minute; the gap search a few seconds
timeout = int(os.environ.get("SMELADDER_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
backlog = 2048
# requests from a front proxy carry the client's address in X-Forwarded-For
forwarded_allow_ips = os.environ.get("SMELADDER_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("SMELADDER_ACCESS_LOG") or None
