"""`python -m bot.server.actions`: rasa_sdk's action server, answering only the Rasa server.

rasa_sdk 3.6 runs any caller's /webhook and, when an action fails, logs the request and sends the
whole tracker back in the error body (which Rasa then logs). This entry point serves the same app
with two changes: /webhook and /actions need `Authorization: Bearer <ACTION_SERVER_TOKEN>` (what
endpoints.yml's `headers` sends), and a failure is logged and answered without the request. The token is
asked of every call but /health, OPTIONS too (no browser calls this server), so a caller without it learns nothing,
not even which paths exist; an unknown path or method gets its 404 or 405 (not the failure's 500).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import HTTPResponse, Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import json

from bot.server import logs
from bot.server.private import keep_private
from bot.server.secret import ENV_NAME, action_server_token

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def guarded_app(token: str, actions_package: str = "actions") -> Sanic:
    """rasa_sdk's app for `actions_package`, refusing callers without the token."""
    app = create_app(actions_package, cors_origins=[])
    expected = f"Bearer {token}".encode()

    # rasa_sdk's CORS answers any OPTIONS with 200, before the token is asked: only the Rasa server calls this one.
    cors = app.ctx.sanic_cors
    for options in (cors.options, *(resource for _pattern, resource in cors.resources)):
        options["automatic_options"] = False

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("Refused a call to %s without the action server's token", request.path)
            return json({"error": "unauthorized"}, status=401)
        return None

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("An action failed on %s", request.path, exc_info=exception)
        return json({"error": type(exception).__name__}, status=500)

    async def refused(_request: Request, exception: SanicException) -> HTTPResponse:
        """A path or method the server does not have, a body it can't read: the caller's error, said as such."""
        return json({"error": type(exception).__name__}, status=exception.status_code)

    app.error_handler.add(Exception, failed)
    app.error_handler.add(SanicException, refused)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the assistant's actions to the Rasa server only.")
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    keep_private()
    logs.install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    if not os.environ.get(ENV_NAME):
        os.environ[ENV_NAME] = action_server_token()
    guarded_app(os.environ[ENV_NAME]).run(host=args.host, port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
