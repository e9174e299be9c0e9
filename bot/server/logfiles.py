"""The servers' log files: where they are, and deleting rotated ones past the retention period.

The launcher writes each server's output to LOG_DIR/<server>.log and rotates it by size to
<server>.log.1, .2, ... Even with patient text kept out, logs are records about patients' visits,
so `make retention` deletes rotated logs last written before the retention period, as it does
conversations. The live logs are kept: they are being written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent.parent
LOG_DIR = ROOT / "var" / "log"
ROTATED = re.compile(r".+\.log\.\d+")
# Each server's log rotates at this size, keeping at most this many older files.
LOG_MAX_BYTES = 10_000_000
LOG_BACKUPS = 5


def copy_to_log(output: IO[bytes], path: Path) -> None:
    """Write a server's output, line by line, to `path`, rotating it by size (the launcher's log threads)."""
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS)
    handler.setFormatter(logging.Formatter("%(message)s"))
    with output:
        for line in output:
            handler.handle(logging.makeLogRecord({"msg": line.decode("utf-8", "replace").rstrip("\n")}))
    handler.close()


def delete_old_logs(days: int, now: float, log_dir: Path = LOG_DIR) -> int:
    """Deletes rotated logs under `log_dir` last modified more than `days` days before `now`; how many."""
    if days < 1:
        raise ValueError("the retention period is at least one day")
    cutoff = now - days * 86400.0
    deleted = 0
    for path in log_dir.rglob("*.log.*") if log_dir.is_dir() else ():
        if ROTATED.fullmatch(path.name) and path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            deleted += 1
    return deleted
