"""Settings for the test suite: the real settings, with a fast password hasher."""

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One process: the local-memory cache is shared by the test and the server threads.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
