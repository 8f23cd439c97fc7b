"""A request body limit for every endpoint of the server, enforced before any handler runs.

ASGI middleware: a request whose ``Content-Length`` is over its path's limit gets ``413`` at
once, unread; any other body is read as it streams in and reading **stops** at the limit (413),
so a 300 MB POST costs at most the limit in memory, whoever sent it and whether or not it is
signed. A body within the limit is handed to the endpoint unchanged.

Limits are per path prefix (the longest matching prefix wins), sized for what each endpoint
legitimately receives; everything else gets :data:`DEFAULT_LIMIT`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Console forms (a reply is at most a few thousand characters), the survey, anything unlisted.
DEFAULT_LIMIT = 64 * 1024


class BodyLimit:
    def __init__(self, app: ASGIApp, limits: Mapping[str, int], default: int = DEFAULT_LIMIT):
        self.app = app
        # Longest prefix first, so "/slack/events" wins over "/".
        self.limits = sorted(limits.items(), key=lambda item: len(item[0]), reverse=True)
        self.default = default

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nothing to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": f"body too large: {limit} bytes at most"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
