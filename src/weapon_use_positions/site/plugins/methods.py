"""Datasette plugin: the site is read-only, so it answers GET and HEAD, OPTIONS with what it allows, and 405 to the rest.

Datasette answered PUT, DELETE and invented methods with 200 on tables and static files, and a
POST to /-/query with a 500 and a traceback in the log. No page of this site takes a form or
an upload (no login, no writes), so no other method reaches Datasette at all.
"""

from datasette import hookimpl

#: The methods the site answers; every other one gets 405 Method Not Allowed.
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW_HEADER = (b"allow", ", ".join(ALLOWED_METHODS).encode())


async def answer(send, status: int, body: bytes) -> None:
    headers = [ALLOW_HEADER, (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@hookimpl(trylast=True)  # the outermost wrapper: no other plugin sees a refused method
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
                return await app(scope, receive, send)
            if scope["method"] == "OPTIONS":
                return await answer(send, 204, b"")
            return await answer(send, 405, b"This site is read-only: it answers GET and HEAD only.\n")

        return read_only

    return wrap
