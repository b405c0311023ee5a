"""
Django's cache backends, with two costs taken off the page cache's every hit.

``UncompressedFileBasedCache`` writes values uncompressed: inflating a page took longer
than the rest of a hit, and longer than serving a static file. Values are still zlib
streams (of blocks stored as they are), so that these files and Django's own
``FileBasedCache`` read each other's: workers of two releases share the cache during a
deployment. Pages take about three times the disk space they did.

``RedisCache`` keeps one client for each connection pool: Django's makes a new one for
every operation, and redis-py builds each client's tables anew, which cost more than the
round trip to Redis itself.
"""

import pickle
import zlib

from django.core.cache.backends import redis
from django.core.cache.backends.filebased import FileBasedCache


class UncompressedFileBasedCache(FileBasedCache):
    def _write_content(self, file, timeout, value):
        # As FileBasedCache writes it, at compression level 0.
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 0))


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # by connection pool; a client is only its pool and settings

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
