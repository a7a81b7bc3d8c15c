"""Datasette plugin: keep successful GET responses in memory while every database is immutable,
and compress what goes out to clients that accept gzip.

An immutable database never changes, so the same URL always gives the same response; serving
repeats from memory keeps the site fast under load. Bounded in entries and bytes; responses
that set cookies, errors and large bodies are never kept. The cache keeps bodies as the app
wrote them; compression happens on the way out, per request, so a client that did not ask for
gzip never gets it.
"""

import gzip
from collections import OrderedDict

from datasette import hookimpl

MAX_ENTRIES = 2048
MAX_BYTES = 256 * 2**20
MAX_BODY = 2 * 2**20


#: Media types worth compressing, and the smallest body worth it.
COMPRESSIBLE = (b"text/", b"application/json", b"application/javascript", b"application/atom+xml", b"image/svg")
MIN_COMPRESSED = 1024


def accepts_gzip(scope) -> bool:
    for name, value in scope.get("headers", []):
        if name.lower() == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


def compressing(scope, send):
    """`send`, compressing a whole (unstreamed) compressible body when the client accepts gzip."""
    if scope["type"] != "http" or not accepts_gzip(scope):
        return send
    pending = {}

    async def send_compressed(message):
        if message["type"] == "http.response.start":
            pending["start"] = message
            return
        start = pending.pop("start", None)
        if start is None:  # a later chunk of a streamed body
            return await send(message)
        headers = start.get("headers", [])
        kind = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        encoded = any(n.lower() == b"content-encoding" for n, _ in headers)
        body = message.get("body", b"")
        if message.get("more_body") or encoded or len(body) < MIN_COMPRESSED or not kind.startswith(COMPRESSIBLE):
            await send(start)
            return await send(message)
        packed = gzip.compress(body, mtime=0)
        kept = [(n, v) for n, v in headers if n.lower() not in (b"content-length", b"vary")]
        kept += [
            (b"content-encoding", b"gzip"),
            (b"vary", b"Accept-Encoding"),
            (b"content-length", str(len(packed)).encode()),
        ]
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": packed})

    return send_compressed


class ResponseCache:
    def __init__(self, app, datasette):
        self.app = app
        self.datasette = datasette
        self.entries: OrderedDict = OrderedDict()
        self.size = 0

    def cacheable(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        databases = [db for name, db in self.datasette.databases.items() if name != "_internal"]
        return bool(databases) and not any(db.is_mutable for db in databases)

    async def __call__(self, scope, receive, send):
        send = compressing(scope, send)
        if not self.cacheable(scope):
            return await self.app(scope, receive, send)
        key = (scope["path"], scope.get("query_string", b""))
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            start, body = hit
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        messages = []

        async def capture(message):
            messages.append(message)
            await send(message)

        await self.app(scope, receive, capture)
        self.keep(key, messages)

    def keep(self, key, messages) -> None:
        if not messages or messages[0].get("type") != "http.response.start" or messages[0].get("status") != 200:
            return
        if any(name.lower() == b"set-cookie" for name, _ in messages[0].get("headers", [])):
            return
        body = b"".join(m.get("body", b"") for m in messages[1:] if m.get("type") == "http.response.body")
        if len(body) > MAX_BODY:
            return
        self.entries[key] = (messages[0], body)
        self.size += len(body)
        while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= len(old)


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: ResponseCache(app, datasette)
