"""Static checks: ruff (lint + format) and pylint-odoo with OCA's mandatory checks."""

import subprocess

from conftest import REPO

LINT_BIN = REPO / ".venv-lint" / "bin"
PY_TARGETS = [d for d in ("kam_management", "tests", "bench", "scripts") if (REPO / d).is_dir()]


def run(*cmd):
    proc = subprocess.run(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    return proc.returncode, proc.stdout


def test_ruff_check():
    rc, out = run(str(LINT_BIN / "ruff"), "check", *PY_TARGETS)
    assert rc == 0, out


def test_ruff_format():
    rc, out = run(str(LINT_BIN / "ruff"), "format", "--check", *PY_TARGETS)
    assert rc == 0, out


def test_pylint_odoo_mandatory():
    rc, out = run(
        str(LINT_BIN / "pylint"),
        "--rcfile=.pylintrc-mandatory",
        "--output-format=text",
        "kam_management",
    )
    assert rc == 0, out
