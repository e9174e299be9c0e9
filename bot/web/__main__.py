"""`python -m bot.web`: serve the homepage, the widget and the chat proxy (the launcher starts it)."""

from __future__ import annotations

import argparse
import os

from bot.server import logs
from bot.server.private import keep_private
from bot.web.web_app import create_app
from bot.web.web_settings import WebSettings


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the clinic homepage, the chat widget and its proxy.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[o for o in os.environ.get("WIDGET_ORIGINS", "").split(",") if o.strip()],
        help="an exact origin (https://www.example.org) of another site that embeds the widget; repeatable. "
        "Default: the comma-separated WIDGET_ORIGINS environment variable.",
    )
    args = parser.parse_args()
    keep_private()
    logs.install()
    settings = WebSettings(rasa_url=args.rasa_url, allowed_origins=frozenset(o.strip() for o in args.allow_origin))
    create_app(settings).run(host=args.host, port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
