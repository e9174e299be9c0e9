"""`rasa` as the launcher runs it: Rasa's own command line, with the clinic's fix to Rasa installed first."""

from __future__ import annotations

from rasa.__main__ import main as rasa_main

from bot.server import action_results
from bot.server.private import keep_private


def main() -> None:
    keep_private()
    action_results.install()
    rasa_main()


if __name__ == "__main__":
    main()
