"""
Django's PostgreSQL backend, with a health check that gives up after a deadline.

A connection kept open (persistent, or in the pool) is tested with a query before a
request uses it. Django and psycopg_pool wait for that answer without limit, so a server
that stops answering on a connection already open (hung, or cut off by the network in a
way the kernel does not notice) would hang the reader's request until the worker is
killed. Here the test query gets DATABASE_HEALTH_CHECK_TIMEOUT seconds: a connection that
does not answer in time is closed and replaced, and opening a new one is bounded by
``connect_timeout``, so the reader gets the 503 page within seconds (newsroom/errors.py).
"""

import selectors
import time

from django.conf import settings
from psycopg import OperationalError, pq


def check_connection(connection, timeout=None):
    """
    Raise unless ``connection`` answers ``SELECT 1`` within ``timeout`` seconds; closes a
    connection that does not. Also the pool's check (settings.py).
    """
    if timeout is None:
        timeout = settings.DATABASE_HEALTH_CHECK_TIMEOUT
    pgconn = connection.pgconn
    deadline = time.monotonic() + timeout
    try:
        pgconn.send_query(b"SELECT 1")  # a few bytes: the socket's buffer takes them at once
        while pgconn.flush():  # only in non-blocking mode, and only if the buffer is full
            if time.monotonic() > deadline:
                raise OperationalError(f"the database did not answer within {timeout} s")
            time.sleep(0.01)
        with selectors.DefaultSelector() as selector:
            selector.register(pgconn.socket, selectors.EVENT_READ)
            while True:
                pgconn.consume_input()
                if not pgconn.is_busy():
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    raise OperationalError(f"the database did not answer within {timeout} s")
        statuses = []
        while (result := pgconn.get_result()) is not None:
            statuses.append(result.status)
        if statuses != [pq.ExecStatus.TUPLES_OK]:
            raise OperationalError(pgconn.get_error_message() or "the health check failed")
    except BaseException:
        connection.close()
        raise
