"""Settings for the test suite: the real settings, with a fast password hasher."""

import tempfile
from pathlib import Path

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One process: the local-memory cache is shared by the test and the server threads.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TEST_FILES = Path(tempfile.mkdtemp(prefix="newsroom-test-"))
# Renewals the cache missed are kept apart from any server's on this machine.
PENDING_RENEWALS_FILE = str(TEST_FILES / "pending-renewals")
# No test reaches the providers: their endpoints answer “connection refused” at once (as
# offline), unless a test points them at a server of its own.
EMBED_OEMBED_ENDPOINTS = {
    name: f"http://127.0.0.1:9/{name}/oembed"
    for name in EMBED_OEMBED_ENDPOINTS  # noqa: F405
}

# On SQLite the test database is a file, as in a deployment, not Django's in-memory one.
# The browser tests' server answers Chromium in threads, several requests at once (a
# page's scripts, the admin's autocomplete, a favicon). With an in-memory database those
# threads either share the test's one connection, transaction state and all (one
# request's error or commit lands in another's transaction; the sqlite3 module answers
# "bad parameter or other API misuse"), or each opens its own connection to the shared
# in-memory database, where a write locks whole tables and a concurrent request fails at
# once with "database table is locked" rather than waiting. Which one depends on whether
# the server started before or after the test database. With a file each thread has its
# own connection, and WAL and the busy timeout of settings.database() do the rest.
for alias, config in DATABASES.items():  # noqa: F405
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("TEST", {})["NAME"] = str(TEST_FILES / f"test-{alias}.sqlite3")
