"""Datasette plugin: a stored query with a malformed date or an unknown id answers 400 with a message.

SQL cannot refuse a parameter, so without this `effective_stance?date=2024` compares dates as
text and `?actor=deu` answers with nothing, both looking like real answers. The checks are the
package's own (`questions.py`), the same as the Python API and the CLI make.
"""

import html
import json
from urllib.parse import parse_qs

from datasette import hookimpl

from weapon_use_positions.models import ALL_WEAPONS
from weapon_use_positions.paths import DATABASE
from weapon_use_positions.queries import STORED_QUERIES
from weapon_use_positions.questions import BadQuestion, Known


def stored_query(path: str):
    """(query name, format) for a stored query's URL, else None."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or parts[0] != DATABASE:
        return None
    name, _, suffix = parts[1].partition(".")
    return (name, suffix) if name in STORED_QUERIES else None


async def known_ids(datasette) -> Known:
    db = datasette.get_database(DATABASE)
    actors = [row[0] for row in (await db.execute("select id from actors")).rows]
    weapons = [row[0] for row in (await db.execute("select id from weapon_systems")).rows]
    return Known(frozenset(actors), frozenset(weapons) | {ALL_WEAPONS})


async def refuse(send, suffix: str, message: str) -> None:
    if suffix == "json":
        body, kind = json.dumps({"ok": False, "error": message, "status": 400}).encode(), "application/json"
    elif suffix == "csv":
        body, kind = message.encode(), "text/plain; charset=utf-8"
    else:
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Bad request</title></head>"
            f"<body><h1>That question cannot be answered</h1><p class='message'>{html.escape(message)}</p>"
            "<p><a href='javascript:history.back()'>Back</a></p></body></html>"
        )
        body, kind = page.encode(), "text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 400, "headers": [(b"content-type", kind.encode())]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        cache = {}

        async def checked(scope, receive, send):
            found = stored_query(scope["path"]) if scope["type"] == "http" else None
            query = scope.get("query_string", b"").decode("utf-8", "replace")
            if found and query:
                params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items() if not k.startswith("_")}
                wanted = set(STORED_QUERIES[found[0]].params)
                if "known" not in cache:
                    cache["known"] = await known_ids(datasette)
                try:
                    cache["known"].check_parameters({k: v for k, v in params.items() if k in wanted})
                except BadQuestion as error:
                    return await refuse(send, found[1], str(error))
            return await app(scope, receive, send)

        return checked

    return wrap
