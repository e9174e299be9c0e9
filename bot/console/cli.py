"""`python -m bot.console.cli create-user | retention`: the console's server-side commands."""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from bot.console.console_settings import ConsoleSettings, retention_days
from bot.console.database import open_database
from bot.console.users import ROLES, UserError, create_user
from bot.server.private import keep_private


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("Same password again: ") != password:
        raise UserError("the two passwords differ")
    return password


def create_user_command(args: argparse.Namespace) -> int:
    settings = ConsoleSettings.from_env()
    username = args.username or input("Username: ")
    try:
        create_user(open_database(settings.database_url), username, read_password(args.password_stdin), args.role)
    except UserError as error:
        print(f"Not created: {error}.", file=sys.stderr)
        return 1
    print(f"Created {args.role} account {username.strip().lower()}. Log in at the console (make console).")
    return 0


def retention_command(args: argparse.Namespace) -> int:
    from bot.console.retention import purge
    from bot.server.logfiles import delete_old_logs

    settings = ConsoleSettings.from_env()
    days = args.days or retention_days()
    now = time.time()
    deleted = purge(open_database(settings.database_url), days, now, settings.idle_s, settings.max_s)
    print(deleted.report(days))
    print(f"Deleted {delete_old_logs(days, now)} rotated server logs older than {days} days.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-user", help="create a staff account (the password is asked, or read from stdin)"
    )
    create.add_argument("--username")
    create.add_argument("--role", choices=ROLES, default="staff")
    create.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    create.set_defaults(run=create_user_command)
    retention = commands.add_parser("retention", help="delete conversations and closed booking requests past retention")
    retention.add_argument("--days", type=int, help="default: retention_days in config/clinic.yml")
    retention.set_defaults(run=retention_command)
    args = parser.parse_args(argv)
    keep_private()
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
