"""Static checks: ruff (lint + format) and pylint-odoo with OCA's mandatory checks."""

import subprocess

from conftest import REPO

LINT_BIN = REPO / ".venv-lint" / "bin"
ADDONS = [d for d in ("kam_management", "kam_management_helpdesk") if (REPO / d).is_dir()]
PY_TARGETS = [*ADDONS, *(d for d in ("tests", "bench", "scripts") if (REPO / d).is_dir())]


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
        *ADDONS,
    )
    assert rc == 0, out
