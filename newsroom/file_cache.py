"""
Django's file cache, with the values it writes left uncompressed.

The page cache reads a whole page on every hit: inflating it took longer than the rest of
the hit, and longer than serving a static file. Values are still written as zlib streams,
in blocks stored as they are, so that these files and Django's own ``FileBasedCache``
read each other's (workers of two releases share the cache during a deployment). Pages
take about three times the disk space they did.
"""

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache


class UncompressedFileBasedCache(FileBasedCache):
    def _write_content(self, file, timeout, value):
        # As FileBasedCache writes it, at compression level 0.
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 0))
