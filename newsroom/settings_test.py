"""Settings for the test suite: the real settings, with a fast password hasher."""

import tempfile
from pathlib import Path

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One process: the local-memory cache is shared by the test and the server threads.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Renewals the cache missed are kept apart from any server's on this machine.
PENDING_RENEWALS_FILE = str(Path(tempfile.mkdtemp(prefix="newsroom-test-")) / "pending-renewals")
