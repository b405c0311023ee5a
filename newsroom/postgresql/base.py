"""Django's PostgreSQL backend, with the bounded health check of ``newsroom.postgresql``."""

from django.db.backends.postgresql import base

from newsroom.postgresql import check_connection


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        try:
            check_connection(self.connection)
        except Exception:
            return False
        return True
