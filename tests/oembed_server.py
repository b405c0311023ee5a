"""A real local HTTP server answering as the providers' oEmbed endpoints would (canned JSON)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.images import png_bytes


class OembedServer:
    def __init__(self):
        self.requests = []  # (path, the url parameter) of every request
        self.answers = {}  # path -> (status, content type, body)
        handler = self.handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                server.requests.append((parts.path, parse_qs(parts.query).get("url", [""])[0]))
                status, content_type, body = server.answers.get(
                    parts.path, (404, "text/plain", b"not found")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def answer_json(self, path, document, status=200):
        self.answers[path] = (status, "application/json", json.dumps(document).encode())

    def answer_picture(self, path, content=None):
        self.answers[path] = (200, "image/png", content or png_bytes(640, 360))


@pytest.fixture
def oembed(settings):
    """The providers' endpoints pointed at a local server; thumbnails taken from it too."""
    server = OembedServer()
    server.thread.start()
    settings.EMBED_OEMBED_ENDPOINTS = {
        "youtube": f"{server.origin}/youtube/oembed",
        "vimeo": f"{server.origin}/vimeo/oembed",
        "bluesky": f"{server.origin}/bluesky/oembed",
        "mastodon": f"{server.origin}/mastodon/{{host}}/oembed",
        "x": f"{server.origin}/x/oembed",
    }
    settings.EMBED_THUMBNAIL_ORIGINS = {"youtube": [server.origin], "vimeo": [server.origin]}
    from articles.embeds import fetch

    fetch._kept.clear()
    yield server
    fetch._kept.clear()
    server.httpd.shutdown()
    server.httpd.server_close()
