"""`python -m bot.migrate` (`make migrate`): bring the clinic's tables to the newest schema.

The command lives here, not in clinic/database/, because it first makes var/ private as every entry point does.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.server.private import keep_private
from clinic.config import database_url
from clinic.database.revisions import upgrade


def main() -> None:
    keep_private()  # `make migrate` makes var/tracker.db the first time
    url = database_url()
    print(f"The clinic's tables are at revision {upgrade(url)} ({sa.engine.make_url(url).render_as_string()}).")


if __name__ == "__main__":
    main()
