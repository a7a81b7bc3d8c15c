"""Datasette plugin: every request reaches Datasette in a canonical form; successful GET responses
are kept in memory while every database is immutable, and compressed for clients that accept gzip.

Canonical requests: a response must depend on nothing a visitor can vary except the path and the
query string, or one visitor's request could change what the cache serves others (a `Host:
evil.example` request once made every later visitor get links to that host). So Datasette sees
only the headers in KEPT_HEADERS: no cookies, no authorization, no X-Forwarded-*, nothing a
`:_header_name` parameter could print. The Host header is never trusted: absolute links use the
configured site address (`plugins: weapon-use-positions: site_url: https://…`, e.g. with
`datasette publish … --plugin-secret weapon-use-positions site_url https://…`), else the address
the server was reached at (its own socket address, e.g. http://127.0.0.1:8001). The cache key
holds the scheme and host besides the path and query, so even those two cannot mix.

An immutable database never changes, so the same request always gives the same response; serving
repeats from memory keeps the site fast under load. Bounded in entries and bytes; responses
that set cookies, errors and large bodies are never kept. The cache keeps bodies as the app
wrote them; compression happens on the way out, per request, so a client that did not ask for
gzip never gets it.
"""

import gzip
from collections import OrderedDict
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils import StartupError

from weapon_use_positions.whole_body import content_type, rewriting_body

MAX_ENTRIES = 2048
MAX_BYTES = 256 * 2**20
MAX_BODY = 2 * 2**20


#: The plugin configuration's name in datasette.yaml, and its key for the site's public address.
CONFIG_NAME = "weapon-use-positions"
SITE_URL_KEY = "site_url"
#: The request headers Datasette gets (besides a canonical Host); Accept only as "application/json".
KEPT_HEADERS = (b"if-none-match", b"if-modified-since", b"range")
JSON_ACCEPT = b"application/json"

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

    def compress(headers, body):
        encoded = any(n.lower() == b"content-encoding" for n, _ in headers)
        if encoded or len(body) < MIN_COMPRESSED or not content_type(headers).startswith(COMPRESSIBLE):
            return None
        kept = [(n, v) for n, v in headers if n.lower() != b"vary"]
        return [*kept, (b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")], gzip.compress(body, mtime=0)

    return rewriting_body(send, compress)


def site_address(datasette) -> tuple[str, str] | None:
    """(scheme, host) of the configured site_url, else None; a malformed one stops the server."""
    value = (datasette.plugin_config(CONFIG_NAME) or {}).get(SITE_URL_KEY)
    if not value:
        return None
    try:
        parts = urlsplit(str(value))
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        parts = None
    if (
        not parts
        or not str(value).isascii()
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
    ):
        raise StartupError(f"{CONFIG_NAME} {SITE_URL_KEY}: {value!r} is not an http(s)://host[:port] address")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise StartupError(f"{CONFIG_NAME} {SITE_URL_KEY}: {value!r} must have no path (use Datasette's base_url)")
    return parts.scheme, parts.netloc.lower()


def socket_host(scope) -> str:
    """host:port the client connected to, from the socket (never from the request)."""
    server = scope.get("server")
    if not server or server[1] is None:
        return "localhost"
    host, port = server
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def canonical(scope, site: tuple[str, str] | None) -> dict:
    """The scope Datasette sees: trusted scheme and host, and only the headers that may shape a response."""
    scheme, host = site if site else (scope.get("scheme", "http"), socket_host(scope))
    headers = [(b"host", host.encode("ascii"))]
    for name, value in scope.get("headers", []):
        name = name.lower()
        if name in KEPT_HEADERS:
            headers.append((name, value))
        elif name == b"accept" and JSON_ACCEPT in value.lower():
            headers.append((name, JSON_ACCEPT))
    return {**scope, "scheme": scheme, "headers": headers}


class ResponseCache:
    def __init__(self, app, datasette):
        self.app = app
        self.datasette = datasette
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.site = site_address(datasette)

    def cacheable(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        databases = [db for name, db in self.datasette.databases.items() if name != "_internal"]
        return bool(databases) and not any(db.is_mutable for db in databases)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        send = compressing(scope, send)
        scope = canonical(scope, self.site)
        if not self.cacheable(scope):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        key = (scope["scheme"], headers[b"host"], headers.get(b"accept"), scope["path"], scope.get("query_string", b""))
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
def startup(datasette):
    site_address(datasette)  # a malformed site_url stops the server with a message, before any request


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: ResponseCache(app, datasette)
