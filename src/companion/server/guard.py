"""The door of the sync routes: the device token is checked before any body is read, and a body is counted
as it arrives, whatever its transfer encoding, and refused past the limit."""

from __future__ import annotations

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from companion.server import admin
from companion.sync import wire

# Routes that need a device token (the rest, /v1/health, answer anyone).
GUARDED_PREFIX = "/v1/sync/"
# Where the checked account is left for the routes, so the token is looked up once.
ACCOUNT_KEY = "companion_account"


class Guard:
    """Pure ASGI middleware: nothing of a request without a valid token is read past its headers."""

    def __init__(self, app: ASGIApp, *, engine, max_body: int = wire.MAX_BODY_BYTES):
        self.app = app
        self.engine = engine
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        scheme, _, secret = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            await _answer(send, 401, "a device token is needed: Authorization: Bearer <token>")
            return
        account = await run_in_threadpool(self._account_for, secret.strip())
        if account is None:
            await _answer(send, 401, "this device token is unknown, revoked or expired")
            return
        scope.setdefault("state", {})[ACCOUNT_KEY] = account
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _answer(send, 413, f"request body over {self.max_body} bytes")
            return
        # Read here, counted, whatever the encoding (a chunked body has no length to trust): at most
        # max_body bytes are ever held, and only for a known device.
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await _answer(send, 413, f"request body over {self.max_body} bytes")
                return
            if not message.get("more_body", False):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _account_for(self, secret: str) -> str | None:
        with self.engine.connect() as conn:
            holder = admin.holder_of(conn, secret)
        if holder is None:
            return None
        now = admin.now()
        if holder.use_is_news(now):
            with self.engine.connect().execution_options(write=True) as conn, conn.begin():
                admin.note_use(conn, holder.token_id)
        return holder.account_id


async def _answer(send: Send, status: int, detail: str) -> None:
    payload = orjson.dumps({"detail": detail})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
