"""`rasa` as the launcher runs it: Rasa's own command line, with the clinic's fix to Rasa installed first."""

from __future__ import annotations

from rasa.__main__ import main as rasa_main

from bot.server import action_results


def main() -> None:
    action_results.install()
    rasa_main()


if __name__ == "__main__":
    main()
