"""The MCP tools over HTTP inside the app (`python app.py --mcp`): POST /mcp, streamable HTTP.

Mounted in the page's own server, so it listens where the page does (127.0.0.1 unless told
otherwise) and asks for the page's --auth (HTTP Basic, user:password) when one is set. The
SDK's session manager runs stateless with JSON answers: every request stands alone.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
import sys

from .live_index import LiveIndex
from .mcp_tools import build_server

PATH = "/mcp"


class McpEndpoint:
    """An ASGI app serving the tools; the session manager starts on the server's loop."""

    def __init__(self, live: LiveIndex, auth: str | None):
        from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

        server = build_server(live)
        self.manager = StreamableHTTPSessionManager(
            app=server._mcp_server, json_response=True, stateless=True
        )
        self.auth = auth
        self.ready: asyncio.Event | None = None

    async def __call__(self, scope, receive, send) -> None:
        if self.auth and not self._authorised(scope):
            await _refuse(send)
            return
        if self.ready is None:  # the first request: run the manager for the server's life
            self.ready = asyncio.Event()
            asyncio.get_running_loop().create_task(self._run())
        await self.ready.wait()
        await self.manager.handle_request(scope, receive, send)

    async def _run(self) -> None:
        async with self.manager.run():
            self.ready.set()
            await asyncio.Event().wait()  # until the server's loop ends

    def _authorised(self, scope) -> bool:
        headers = dict(scope.get("headers") or [])
        kind, _, value = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        try:
            given = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return kind.lower() == "basic" and secrets.compare_digest(given, self.auth)


async def _refuse(send) -> None:
    body = b'{"error": "This server needs the page\'s user and password (HTTP Basic)."}'
    headers = [
        (b"content-type", b"application/json"),
        (b"www-authenticate", b'Basic realm="verbatim"'),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def mount_mcp(page, live: LiveIndex, auth: str | None) -> None:
    """Serve the tools at /mcp in the page's running server (before the page's own routes)."""
    from starlette.routing import Route

    endpoint = McpEndpoint(live, auth)
    page.app.router.routes.insert(0, Route(PATH, endpoint, methods=["POST", "GET", "DELETE"]))
    print(f"MCP tools (streamable HTTP) at {page.local_url.rstrip('/')}{PATH}", file=sys.stderr)
