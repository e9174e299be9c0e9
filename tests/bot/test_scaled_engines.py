"""Where the scaled profile's own PostgreSQL cluster lives: in its data folder, or where PostgreSQL can reach it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.scaled import as_postgres_user, cluster_dir


def postgres_can_enter(path: Path) -> bool:
    return subprocess.run([*as_postgres_user(), "test", "-x", str(path)], check=False).returncode == 0


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder anyone may enter, as a clone in /work or /srv (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_data_folder_postgres_can_enter_holds_the_cluster(open_folder: Path) -> None:
    data_dir = open_folder / "scaled"
    assert cluster_dir(data_dir) == data_dir / "pg"
    assert postgres_can_enter(data_dir)


def test_a_private_data_folder_leaves_the_cluster_where_postgres_can_reach_it(tmp_path: Path) -> None:
    tmp_path.chmod(0o700)  # a clone in /root, or in a folder made by mktemp -d
    data_dir = tmp_path / "scaled"
    found = cluster_dir(data_dir)
    if os.geteuid() != 0:  # PostgreSQL runs as this user, who can enter its own folders
        assert found == data_dir / "pg"
        return
    assert not postgres_can_enter(data_dir)
    made_so_far = next(folder for folder in found.parents if folder.exists())  # postgres_command makes the rest
    assert postgres_can_enter(made_so_far) and tmp_path not in found.parents
    assert cluster_dir(data_dir) == found  # the same cluster at every start
    assert cluster_dir(tmp_path / "other") != found
