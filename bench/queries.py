"""Count the SQL queries each benchmarked page runs, from stored parts (for bench/run.py)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for name, path in json.loads(sys.argv[1]).items():
    # Warm per-process caches (content types, templates), and the articles' stored parts
    # (see articles.fragments): the first view of an article of a freshly seeded archive
    # makes its rendering row, the second renders and stores its parts.
    client.get(path)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    counts[name] = {"queries": len(queries.captured_queries), "status": status}
print(json.dumps(counts))
