"""`make retention` deletes the servers' rotated logs past the retention period, and only those."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bot.server.logfiles import delete_old_logs

DAY = 86400.0


def test_rotated_logs_older_than_the_retention_period_are_deleted(tmp_path: Path) -> None:
    now = time.time()
    files = {
        "rasa.log": 400,  # live: being written
        "rasa.log.1": 10,
        "rasa.log.2": 400,
        "shell/actions.log.1": 400,
        "notes.txt": 400,
    }
    for name, age_days in files.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("x")
        os.utime(path, (now - age_days * DAY, now - age_days * DAY))

    assert delete_old_logs(365, now, tmp_path) == 2
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "notes.txt",
        "rasa.log",
        "rasa.log.1",
    ]
