"""Set-up as a newcomer does it: a fresh copy of the repository in a private
folder (mode 0700, like a home folder), the run command's set-up, then the
documented stop command.

As root the private PostgreSQL runs as the postgres user, who cannot enter such
a folder: the cluster must live where that user can reach it. The run's set-up
builds only what a run needs (no linters), its progress lines reach the log
while it works, and scripts/stop.sh stops the cluster again. The copy shares
this repository's .venv (the requirements are the same), so no packages are
installed."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import LOGDIR, REPO


def _copy_repository(target):
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = REPO / os.fsdecode(name)
        if not source.is_file() or source.is_symlink():
            continue
        destination = target / os.fsdecode(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    (target / ".venv").symlink_to(REPO / ".venv")


@pytest.fixture
def newcomer_clone():
    home = Path(tempfile.mkdtemp(prefix="kam-home-"))
    home.chmod(0o700)
    clone = home / "kam_management"
    _copy_repository(clone)
    yield clone
    # whatever happened: the copy's cluster is stopped and removed
    where = subprocess.run(
        ["bash", "scripts/kamctl.sh", "where"], cwd=clone, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["bash", "scripts/stop.sh"], cwd=clone, capture_output=True, check=False)
    if where and "kam_management" in where and not where.startswith(str(home)):
        shutil.rmtree(where, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)


def test_setup_in_a_private_folder_and_stop(newcomer_clone):
    clone = newcomer_clone
    log_path = LOGDIR / "newcomer-setup.log"
    LOGDIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("KAM_", "PG")):
            env.pop(name)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            ["bash", "scripts/kamctl.sh", "setup", "run"],
            cwd=clone,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        # the progress line is in the log while the cluster is still being made
        seen_while_running = False
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            if "Creating the private PostgreSQL cluster" in log_path.read_text():
                seen_while_running = proc.poll() is None
                break
            time.sleep(0.05)
        rc = proc.wait(timeout=300)
    output = log_path.read_text()
    assert rc == 0, output
    assert "Creating the private PostgreSQL cluster" in output, output
    assert seen_while_running, "progress lines reach the log only when set-up ends"
    assert not (clone / ".venv-lint").exists(), "the run's set-up built the linters"
    where = subprocess.run(
        ["bash", "scripts/kamctl.sh", "where"], cwd=clone, capture_output=True, text=True, env=env
    ).stdout.strip()
    assert Path(where, "data", "PG_VERSION").exists(), where
    if os.geteuid() == 0:
        # PostgreSQL runs as the postgres user, who cannot enter the private folder
        assert not where.startswith(str(clone.parent)), where
    # the cluster answers (as the project's role, on its socket)
    answer = subprocess.run(
        ["bash", "-c", "source scripts/common.sh && psql_admin -c 'SELECT 42'"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert answer.stdout.strip() == "42", answer.stdout + answer.stderr
    # the documented stop command stops it
    stop = subprocess.run(
        ["bash", "scripts/stop.sh"], cwd=clone, capture_output=True, text=True, env=env
    )
    assert stop.returncode == 0, stop.stdout + stop.stderr
    running = subprocess.run(
        ["bash", "-c", "source scripts/common.sh && pg_running"], cwd=clone, env=env
    )
    assert running.returncode != 0, "the private PostgreSQL still runs after scripts/stop.sh"
