"""Datasette plugin: an Atom feed with no entries is an empty feed, not a 500 with a traceback.

datasette-atom 0.11a0 takes the newest `atom_updated` of the rows, which fails when there are
none (a build with no release yet). This wraps its renderer: no rows, a valid empty feed.
"""

import datetime
from xml.sax.saxutils import escape, quoteattr

from datasette import hookimpl
from datasette.utils.asgi import Response

#: The output renderer this wraps.
EXTENSION = "atom"


def empty_feed(url: str, title: str) -> str:
    updated = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{escape(url)}</id><title>{escape(title)}</title><updated>{updated}</updated>"
        f'<link href={quoteattr(url)} rel="self"/></feed>\n'
    )


@hookimpl
def startup(datasette):
    if EXTENSION not in datasette.renderers:
        return
    render, can_render = datasette.renderers[EXTENSION]

    async def render_or_empty(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if rows:
            return await render(datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
        query = await datasette.get_query(database, query_name) if query_name else None
        title = query.title if query and query.title else (table or query_name or "feed")
        return Response(empty_feed(request.url, title), content_type="application/xml; charset=utf-8")

    datasette.renderers[EXTENSION] = (render_or_empty, can_render)
