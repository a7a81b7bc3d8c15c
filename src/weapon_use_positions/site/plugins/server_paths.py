"""Datasette plugin: no page tells a visitor where the server keeps its files.

Datasette's /-/databases.json (and its HTML page) gives each database's full path, and an
error message can quote a file name. Every text response Datasette builds (the innermost
wrapper, so before caching and compression) has the server's folders replaced by HIDDEN: the
databases and their folders, the template, plugin and static folders, the package and the Python
installation. Files served as downloads or static assets are sent as they are.
"""

import sys
from pathlib import Path

from datasette import hookimpl

import weapon_use_positions
from weapon_use_positions.whole_body import content_type, rewriting_body

#: What a server folder reads as in a response.
HIDDEN = "\u2026"
#: Paths of files served verbatim (the build's downloads and static assets).
VERBATIM_PREFIXES = ("/downloads/", "/assets/", "/-/static/", "/-/static-plugins/")
#: Media types of responses that are checked.
TEXT_TYPES = (b"text/", b"application/json", b"application/atom+xml", b"application/javascript")
#: A folder with fewer parts than this (`/`, `/usr`) is too common a string to replace.
MIN_PARTS = 3


def server_paths(datasette) -> list[tuple[bytes, bytes]]:
    """(path, what it reads as) for every server path to hide, longest first (a path inside another goes first)."""
    folders = {Path(weapon_use_positions.__file__).parent.parent, Path(sys.prefix), Path(sys.base_prefix)}
    folders |= {Path(p) for p in sys.path if p}
    files = set()
    for db in datasette.databases.values():
        if db.path:
            files |= {Path(db.path).absolute(), Path(db.path).resolve()}
            folders |= {f.parent for f in files}
    for folder in (datasette.template_dir, datasette.plugins_dir, *(d for _, d in datasette.static_mounts or [])):
        if folder:
            folders |= {Path(folder).absolute(), Path(folder).resolve()}
    hidden = {str(f): HIDDEN for f in folders if f.is_absolute() and len(f.parts) >= MIN_PARTS}
    hidden |= {str(f): f"{HIDDEN}/{f.name}" for f in files}  # a database's full path, however short
    return sorted(((k.encode(), v.encode()) for k, v in hidden.items()), key=lambda kv: len(kv[0]), reverse=True)


def hiding(send, paths):
    """`send`, with the server's paths replaced in a whole (unstreamed) text body."""

    def hide(headers, body):
        if not content_type(headers).startswith(TEXT_TYPES) or not any(p in body for p, _ in paths):
            return None
        for path, shown in paths:
            body = body.replace(path, shown)
        return headers, body

    return rewriting_body(send, hide)


@hookimpl(tryfirst=True)  # the innermost wrapper: what the cache keeps and compresses is already clean
def asgi_wrapper(datasette):
    def wrap(app):
        paths = []

        async def hidden(scope, receive, send):
            if scope["type"] != "http" or scope["path"].startswith(VERBATIM_PREFIXES):
                return await app(scope, receive, send)
            if not paths:
                paths.extend(server_paths(datasette))
            return await app(scope, receive, hiding(send, paths))

        return hidden

    return wrap
