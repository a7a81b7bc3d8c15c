"""Datasette plugin: keep successful GET responses in memory while every database is immutable.

An immutable database never changes, so the same URL always gives the same response; serving
repeats from memory keeps the site fast under load. Bounded in entries and bytes; responses
that set cookies, errors and large bodies are never kept.
"""

from collections import OrderedDict

from datasette import hookimpl

MAX_ENTRIES = 2048
MAX_BYTES = 256 * 2**20
MAX_BODY = 2 * 2**20


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
