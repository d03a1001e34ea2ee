"""The HTTP face of the sync server: health, hello, push, pull, resolve; every response code declared."""

from __future__ import annotations

import json
from typing import Annotated

import orjson
import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool

from companion import __version__
from companion.server import admin, db
from companion.server.common import BadMutation, Forbidden, Forgotten
from companion.server.guard import ACCOUNT_KEY, Guard
from companion.server.pull import Known
from companion.server.pull import pull as pull_changes
from companion.server.push import push as push_changes
from companion.server.resolve import resolve as resolve_conflict
from companion.sync import wire

_bearer = HTTPBearer(auto_error=False)

_UNAUTHORIZED = {401: {"model": wire.Problem, "description": "No valid device token"}}
_FORBIDDEN = {403: {"model": wire.Problem, "description": "Not a team of this token's user"}}
_INVALID = {
    400: {"model": wire.Problem, "description": "Malformed request"},
    413: {"model": wire.Problem, "description": "Request body too large"},
    422: {"model": wire.Problem, "description": "The request does not follow the protocol"},
}


class _Refused(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


async def _account(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> str:
    """The account behind the request's device token, as the guard found it before reading the body
    (server/guard.py); async, so taking it costs the route no trip through the thread pool."""
    checked = getattr(request.state, ACCOUNT_KEY, None)
    if checked is None:  # (every /v1/sync/ route is guarded: only a route outside it would get here)
        raise _Refused(401, "a device token is needed: Authorization: Bearer <token>")
    return checked


Account = Annotated[str, Depends(_account)]


def _writable(detail: str) -> str:
    """A refusal's text as UTF-8 can carry it: a value it quotes may hold a lone surrogate (JSON can
    spell one, UTF-8 cannot), shown escaped."""
    return detail.encode("utf-8", "backslashreplace").decode("utf-8")


def _json(content: dict, mark: str | None = None) -> Response:
    """A message, with the mark of the team's history it leaves its reader at (wire.MARK_HEADER)."""
    headers = {wire.MARK_HEADER: mark} if mark else None
    return Response(orjson.dumps(content), media_type="application/json", headers=headers)


_FORGOTTEN = {
    409: {
        "model": wire.Problem,
        "description": "The server does not hold what it acknowledged to this device (restored from a "
        f"backup); {wire.FORGOTTEN_HEADER} gives the device's last push it holds",
    }
}


def create_app(engine: sa.Engine, *, api_docs: bool = False) -> FastAPI:
    """The app over an engine whose schema is migrated (see db.migrate); its description of itself
    (/docs, /openapi.json) only when asked for: it tells a stranger what to try."""
    app = FastAPI(
        title="Companion sync server",
        version=__version__,
        description="Offline-first sync of Companion workspaces (protocol in DESIGN.md).",
        docs_url="/docs" if api_docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if api_docs else None,
    )
    app.state.engine = engine
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    # Outermost: a request without a valid token is answered before its body is read, and a body is
    # counted as it arrives (server/guard.py).
    app.add_middleware(Guard, engine=engine)

    @app.exception_handler(_Refused)
    async def refused(_request: Request, exc: _Refused):
        return JSONResponse({"detail": _writable(exc.detail)}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()[:5]
        )
        return JSONResponse(
            {"detail": _writable(f"the request does not follow the protocol: {problems}")}, status_code=422
        )

    def run(call):
        try:
            return call()
        except Forbidden:
            raise _Refused(403, "not allowed for this token") from None
        except Forgotten as exc:
            raise _Refused(409, str(exc), {wire.FORGOTTEN_HEADER: str(exc.last_seq)}) from None
        except BadMutation as exc:
            raise _Refused(422, str(exc)) from None

    @app.get("/v1/health", responses={200: {"description": "The server and its database answer"}})
    def health() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/v1/sync/hello", response_model=wire.Hello, responses=_UNAUTHORIZED)
    def hello(account_id: Account) -> wire.Hello:
        with engine.connect() as conn:
            teams = admin.teams_of(conn, account_id)
            return wire.Hello(
                server_id=db.meta(conn, "server_id"),
                epoch=db.meta(conn, "epoch"),
                protocol_min=wire.PROTOCOL_MIN,
                protocol_max=wire.PROTOCOL_MAX,
                schema_version=db.schema_version(),
                teams=[wire.TeamInfo(id=k, name=v) for k, v in sorted(teams.items(), key=lambda t: t[1])],
            )

    @app.post(
        "/v1/sync/push",
        response_model=wire.PushResponse,
        responses={
            **_UNAUTHORIZED,
            **_FORBIDDEN,
            **_INVALID,
            **_FORGOTTEN,
        },
        openapi_extra=_body_described(wire.PushRequest),
    )
    async def push(
        request: Request,
        account_id: Account,
        x_companion_mark: Annotated[str | None, Header(max_length=64)] = None,
    ) -> Response:
        body = _message(wire.PushRequest, await request.body())
        known = Known(body.device_id, None, x_companion_mark) if x_companion_mark else None
        # Built by the service in the response's shape; FastAPI would otherwise validate it all again.
        return _json(
            *await run_in_threadpool(
                run, lambda: push_changes(engine, account_id=account_id, request=body, known=known)
            )
        )

    @app.post(
        "/v1/sync/pull",
        response_model=wire.PullResponse,
        responses={**_UNAUTHORIZED, **_FORBIDDEN, **_INVALID, **_FORGOTTEN},
    )
    def pull(
        body: wire.PullRequest,
        account_id: Account,
        x_device_id: Annotated[str | None, Header(max_length=64)] = None,
        # Digits, not "int | None": a header is never null, and its schema says so.
        x_companion_push_seq: Annotated[str, Header(pattern=r"^[0-9]{1,15}$")] = "",
        x_companion_mark: Annotated[str | None, Header(max_length=64)] = None,
    ) -> Response:
        # A device that says what it knows has it checked: an older one says nothing, and is not.
        known = (
            Known(x_device_id, int(x_companion_push_seq) if x_companion_push_seq else None, x_companion_mark)
            if x_device_id and (x_companion_push_seq or x_companion_mark)
            else None
        )
        return _json(*run(lambda: pull_changes(engine, account_id=account_id, request=body, known=known)))

    @app.post("/v1/sync/resolve", responses={**_UNAUTHORIZED, **_FORBIDDEN, **_INVALID})
    def resolve(
        body: wire.Resolution,
        account_id: Account,
        x_device_id: Annotated[str, Header(min_length=1, max_length=64)],
    ) -> dict[str, str]:
        run(lambda: resolve_conflict(engine, account_id=account_id, request=body, device_id=x_device_id))
        return {"status": "resolved"}

    _describe_bodies(app, wire.PushRequest)
    return app


def _message(model: type[BaseModel], body: bytes) -> BaseModel:
    """A request body read by pydantic's own JSON reader: for a push of 2,000 records several times
    cheaper than FastAPI's json.loads and validation, which the server's CPU spent most on after the
    push itself. A body it refuses is read again that way, so the refusal is the same as before (a
    value nested past its reader's depth reaches the values' check, which names the field)."""
    try:
        return model.model_validate_json(body)
    except PydanticValidationError:
        pass
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": f"not JSON ({str(exc)[:100]})", "type": "json_invalid"}]
        ) from None
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from None


def _body_described(model: type[BaseModel]) -> dict:
    """The request body of a route that reads its own (`_message`), as FastAPI describes one it reads."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
            "required": True,
        }
    }


def _describe_bodies(app: FastAPI, *models: type[BaseModel]) -> None:
    """Puts the models of bodies that routes read themselves among the API description's schemas."""
    plain = app.openapi

    def openapi() -> dict:
        described = plain()
        schemas = described.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        return described

    app.openapi = openapi  # type: ignore[method-assign]
