"""`python -m bot.console`: serve the staff console (the launcher starts it beside the assistant).

It listens on 127.0.0.1:8001 by default, apart from the public web app on :8000, so it can be
bound to an internal address only.
"""

from __future__ import annotations

import argparse

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.server import logs
from bot.server.private import keep_private


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the staff console.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    keep_private()
    logs.install()  # as the other servers: no patient text or request URL's query in console.log
    app = create_app(ConsoleSettings.from_env())
    app.run(host=args.host, port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
