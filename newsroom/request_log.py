"""
One structured log line per request: JSON with the method, path, status, time taken
and a request id (the load balancer's X-Request-ID, or a new one), on the
``newsroom.requests`` logger. The same id is sent back in the X-Request-ID header.
"""

import json
import logging
import re
import time
import uuid

logger = logging.getLogger("newsroom.requests")

# An id from outside is only trusted if it looks like one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        response = None  # if the view raises past every handler, the client gets a 500
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            return response
        finally:
            if logger.isEnabledFor(logging.INFO):
                logger.info(
                    json.dumps(
                        {
                            "request_id": request_id,
                            "method": request.method,
                            "path": request.path,
                            "status": response.status_code if response is not None else 500,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                            "cache": response.get("X-Cache") if response is not None else None,
                        }
                    )
                )
