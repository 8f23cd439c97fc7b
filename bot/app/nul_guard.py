"""No NUL character reaches the web console or the survey: such a request is refused with 400.

What a person types in a form or a URL becomes a query parameter or a stored value; PostgreSQL
cannot hold a NUL in text, so ``?team=%00`` or a reply containing one was a 500 at the query or
the INSERT (SQLite stored it, so the two databases disagreed). This ASGI middleware looks at
the query string and, for form bodies, the body (already bounded by ``bot.app.body_limit``, which
runs first), for a NUL raw or percent-encoded, and answers 400 naming it before any handler
runs. JSON endpoints are not covered here: ``/ingest`` names the field itself
(``bot.core.storable``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

_NUL = re.compile(rb"\x00|%00", re.IGNORECASE)
_FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")


class RefuseNul:
    def __init__(self, app: Any, prefixes: Sequence[str]):
        self.app = app
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        if _NUL.search(scope.get("query_string", b"")):
            await _refuse(send, "the address")
            return
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type not in _FORMS:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _NUL.search(body):
            await _refuse(send, "the form")
            return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Any, where: str) -> None:
    body = json.dumps({"error": f"{where} contains a NUL character (\\u0000), which cannot be stored; remove it"}
                      ).encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
