"""
gunicorn settings for Newsroom: ``gunicorn -c gunicorn.conf.py`` (see docs/deploy.md).

Everything can be changed from the environment: GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, GUNICORN_FORWARDED_ALLOW_IPS.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Synchronous workers: pages are rendered quickly or served from the cache, and a slow
# client is nginx's or the load balancer's to buffer.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on reload or stop, requests in flight get this long to finish
keepalive = 5

# Recycle workers now and then, at different moments, to bound any slow memory growth.
# Not often: a cached page takes a fraction of a millisecond, and a worker's restart (a
# second of imports) every 2,000 requests stalled readers and halved throughput.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# Each worker opens its own database pool and cache connections after the fork.
preload_app = False

# Only the proxy in front may say the original scheme and address (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Requests are logged by the application as JSON lines (newsroom.requests); gunicorn
# logs only its own errors and worker events, to standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
