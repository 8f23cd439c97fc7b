"""A fake Slack Socket Mode endpoint: a websocket server (aiohttp) on 127.0.0.1 in a thread.

``FakeSlack`` answers ``apps.connections.open`` with :attr:`FakeSocketMode.url`; the app connects,
gets ``hello``, and the test pushes envelopes (button presses, events) with :meth:`send`. Acks
(``{"envelope_id": ...}``) are collected in :attr:`acks`.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from aiohttp import WSMsgType, web


class FakeSocketMode:
    def __init__(self) -> None:
        self.port = 0
        self.acks: dict[str, dict[str, Any]] = {}
        self.connected = threading.Event()
        self._ws: web.WebSocketResponse | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._run, name="fake-socket-mode", daemon=True)
        self._started = threading.Event()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link"

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/link", self._handler)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # the port the OS chose
        self._started.set()
        self._loop.run_forever()

    async def _handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0MENTION1"},
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                if "envelope_id" in data:
                    self.acks[data["envelope_id"]] = data
        return ws

    def start(self) -> FakeSocketMode:
        self._thread.start()
        self._started.wait(10)
        return self

    def send(self, envelope: dict[str, Any]) -> None:
        assert self._ws is not None and self._loop is not None, "no client connected"
        asyncio.run_coroutine_threadsafe(self._ws.send_str(json.dumps(envelope)), self._loop).result(5)

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            if self._ws is not None:
                await self._ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
