"""Patient data files readable by the clinic's account only: var/ 0700, every file made in it 0600.

var/ holds every conversation, booking contact, console password hash and session token, and the
logs. Each entry point (the launcher, every server, the console's and the database's commands)
calls `keep_private` first: the umask covers every file the process and its children make from then
on (SQLite databases, logs, exports, the scaled profile's PostgreSQL, Redis and nginx files), and a
var/ left open by an older version, or by a `mkdir` with the usual umask, is closed again.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VAR = ROOT / "var"
UMASK = 0o077  # nothing for the group or others
OPEN_BITS = 0o077


def keep_private(var: Path = VAR) -> None:
    """From now on this process makes files 0600 and folders 0700; `var` and what it holds lose any open bits."""
    os.umask(UMASK)
    var.mkdir(parents=True, mode=0o700, exist_ok=True)
    for path in (var, *var.rglob("*")):
        close(path)


def close(path: Path) -> None:
    """`path` without group or other permissions; a file that went away or is not ours is left (and said)."""
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & OPEN_BITS:
            path.chmod(stat.S_IMODE(mode) & ~OPEN_BITS)
    except FileNotFoundError:
        return  # a server's temporary file, gone since the folder was listed
    except OSError as error:
        print(f"Could not make {path} private: {error.strerror}", file=sys.stderr, flush=True)
