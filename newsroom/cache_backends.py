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

import io
import os
import pickle
import time
import zlib

from django.core.cache.backends import redis
from django.core.cache.backends.filebased import FileBasedCache


class UncompressedFileBasedCache(FileBasedCache):
    def get(self, key, default=None, version=None):
        # As FileBasedCache reads it, but in one read rather than three (and seven other
        # system calls).
        fname = self._key_to_file(key, version)
        try:
            data = read_file(fname)
        except FileNotFoundError:
            return default
        stream = io.BytesIO(data)
        expiry = pickle.load(stream)
        if expiry is not None and expiry < time.time():
            self._delete(fname)
            return default
        return pickle.loads(zlib.decompress(memoryview(data)[stream.tell() :]))

    def _write_content(self, file, timeout, value):
        # As FileBasedCache writes it, at compression level 0.
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 0))


def read_file(path, chunk=64 * 1024):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = [os.read(fd, chunk)]
        while len(chunks[-1]) == chunk:
            chunks.append(os.read(fd, chunk))
    finally:
        os.close(fd)
    return b"".join(chunks)


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
