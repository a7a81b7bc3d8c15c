"""ASGI helper for the site's plugins: rewrite a whole (unstreamed) response body before it is sent.

The response start is held back until the body arrives, so the rewrite can change the headers
(content length, encoding); a streamed body, or one the rewrite declines, passes unchanged.
"""

from __future__ import annotations


def rewriting_body(send, rewrite):
    """`send`, with `rewrite(headers, body)` applied to each whole body; it returns new (headers, body) or None."""
    pending = {}

    async def send_rewritten(message):
        if message["type"] == "http.response.start":
            pending["start"] = message
            return
        start = pending.pop("start", None)
        if start is None:  # a later chunk of a streamed body
            return await send(message)
        headers = start.get("headers", [])
        rewritten = None if message.get("more_body") else rewrite(headers, message.get("body", b""))
        if rewritten is None:
            await send(start)
            return await send(message)
        headers, body = rewritten
        kept = [(n, v) for n, v in headers if n.lower() != b"content-length"]
        await send({**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]})
        await send({**message, "body": body})

    return send_rewritten


def content_type(headers) -> bytes:
    return next((v for n, v in headers if n.lower() == b"content-type"), b"")
