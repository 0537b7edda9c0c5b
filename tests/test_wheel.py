"""Packaging: kam_management as the wheel ``odoo-addon-kam_management``.

The wheel is built with OCA's build backend (whool, kam_management/pyproject.toml),
installed with pip into a fresh virtualenv, and Odoo, started from that virtualenv
with an addons path that does NOT contain this clone, finds the module through the
installed ``odoo.addons`` namespace and installs it into a fresh database.

The fresh virtualenv gets Odoo's own Python requirements through a ``.pth`` file
that points at the suite's virtualenv (as a server whose Odoo is a source tree
has them); only the wheel is installed into it."""

import ast
import email.parser
import pathlib
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from conftest import REPO, STATE, gate_lines, kamctl

ADDON = REPO / "kam_management"
VENV_PY = REPO / ".venv" / "bin" / "python"


def odoo_conf():
    return dict(
        line.split(" = ", 1)
        for line in (STATE / "odoo.conf").read_text().splitlines()
        if " = " in line
    )


def run(cmd, **kwargs):
    proc = subprocess.run(
        [str(c) for c in cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
        check=False,
        **kwargs,
    )
    return proc.returncode, proc.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # no build isolation: whool comes from the suite's virtualenv (requirements-dev.txt),
    # so the build needs no network and takes a second
    rc, log = run(
        [
            VENV_PY,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-w",
            out,
            ADDON,
        ]
    )
    assert rc == 0, log
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, log
    return wheels[0]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory, wheel):
    """A new virtualenv with the wheel installed by pip, and nothing else of the clone."""
    venv = tmp_path_factory.mktemp("venv") / "odoo"
    rc, log = run([sys.executable, "-m", "venv", "--without-pip", venv])
    assert rc == 0, log
    py = venv / "bin" / "python"
    rc, purelib = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    assert rc == 0, purelib
    site = purelib.strip()
    # Odoo's requirements, as the suite's virtualenv has them
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (venv / site / "kam_odoo_requirements.pth").write_text("\n".join(sorted(deps)) + "\n")
    rc, log = run(
        [
            VENV_PY,
            "-m",
            "pip",
            "--python",
            py,
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            wheel,
        ]
    )
    assert rc == 0, log
    return {"python": py, "site": venv / site}


def test_wheel_metadata(wheel):
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    assert wheel.name == f"odoo_addon_kam_management-{manifest['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(whl.read(meta_name).decode())
    assert meta["Name"] == "odoo-addon-kam_management"
    # the version is the manifest's, as it is
    assert meta["Version"] == manifest["version"]
    # every dependency is an addon of Odoo itself: the wheel requires only Odoo 19.0
    assert meta.get_all("Requires-Dist") == ["odoo==19.0.*"]
    assert meta["License"] == "LGPL-3" or "LGPL" in " ".join(meta.get_all("Classifier"))
    root = "odoo/addons/kam_management/"
    for path in ("__manifest__.py", "__init__.py", "i18n/nl.po", "security/ir.model.access.csv"):
        assert root + path in names, path
    assert any(n.startswith(root + "static/src/") for n in names)
    # a wheel has no odoo/__init__.py (odoo.addons is a namespace) nor the build file
    assert "odoo/__init__.py" not in names
    assert "odoo/addons/__init__.py" not in names
    assert root + "pyproject.toml" not in names


def test_wheel_installs_and_loads_from_the_virtualenv(fresh_venv, templates, tmp_path):
    conf = odoo_conf()
    odoo_home = conf["addons_path"].split(",")[0].rsplit("/", 1)[0]
    addons_path = f"{odoo_home}/addons,{odoo_home}/odoo/addons"
    assert str(REPO) not in addons_path
    installed = fresh_venv["site"] / "odoo" / "addons" / "kam_management" / "__manifest__.py"
    assert installed.is_file()
    # nor in the data directory's addons
    assert not list(pathlib.Path(conf["data_dir"]).glob("addons/*/kam_management"))
    conf_file = tmp_path / "odoo-wheel.conf"
    conf_file.write_text(
        "[options]\n"
        f"addons_path = {addons_path}\n"
        f"data_dir = {conf['data_dir']}\n"
        f"db_host = {conf['db_host']}\n"
        f"db_port = {conf['db_port']}\n"
        f"db_user = {conf['db_user']}\n"
    )
    db = f"kam_whl_{tmp_path.name[-20:]}".replace("-", "_")
    rc, out = kamctl("copy-db", templates[0], db)
    assert rc == 0, out
    odoo_bin = [fresh_venv["python"], f"{odoo_home}/odoo-bin"]
    try:
        # from another directory than the clone: nothing of it on sys.path
        rc, log = run(
            [*odoo_bin, "-c", conf_file, "-d", db, "-i", "kam_management"]
            + ["--stop-after-init", "--no-http"],
            cwd=tmp_path,
        )
        assert rc == 0, log[-3000:]
        assert not gate_lines(log), "\n".join(gate_lines(log))
        script = (
            "from odoo.modules.module import get_module_path\n"
            "print('KAM_PATH', get_module_path('kam_management'))\n"
            "mod = env['ir.module.module'].search([('name', '=', 'kam_management')])\n"
            "print('KAM_STATE', mod.state, mod.latest_version)\n"
            "print('KAM_MODEL', env['kam.case']._name, env['kam.case'].search_count([]))\n"
        )
        proc = subprocess.run(
            [str(c) for c in [*odoo_bin, "shell", "-c", conf_file, "-d", db, "--no-http"]],
            input=script,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
            cwd=tmp_path,
            check=False,
        )
        out = proc.stdout
        assert proc.returncode == 0, out[-3000:]
        lines = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith("KAM_"))
        # the module Odoo loaded is the one pip installed, not the clone
        assert lines["KAM_PATH"] == str(installed.parent), out[-3000:]
        manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
        assert lines["KAM_STATE"] == f"installed {manifest['version']}"
        assert lines["KAM_MODEL"].startswith("kam.case ")
    finally:
        kamctl("drop-db", db)
