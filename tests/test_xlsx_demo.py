"""Every Excel register of the Dutch demo company, as the demo users export it:
the writer's reading per chunk (one SQL query of the stored columns, many2one
names and selection labels converted once, many2many from the relation table,
counts per chunk) gives exactly the cells of reading each record through the
ORM (``write_register(..., batch=False)``): texts, Dutch labels, names, tags,
dates and times, numbers, Yes/No. Run in an Odoo shell on the demo database,
rolled back."""

import re

from conftest import gate_lines, kamctl

SCRIPT = r"""
import io

import openpyxl

from odoo.addons.kam_management.tools import xlsx
from odoo.exceptions import AccessError


def cells(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        [(cell.value, cell.number_format if cell.value is not None else None) for cell in row]
        for row in sheet.iter_rows(min_row=4)
    ]


index = env["kam.register.mixin"]._kam_register_index()
rows = registers = refused = 0
mismatches = []
for login in ("kamcoordinator", "medewerker", "directeur", "inkoper"):
    user = env["res.users"].search([("login", "=", login)])
    user_env = env(user=user.id, context=user.with_user(user).context_get())
    for name, (model_name, _register) in sorted(index.items()):
        Model = user_env[model_name]
        register = Model._kam_register(name)
        try:
            records = Model.search(list(register.domain), order=register.order)
            columns = register.get_columns()
            batched = xlsx.write_register(records, register.title, columns, chunk_size=7)
        except AccessError:
            refused += 1
            continue
        user_env.invalidate_all()
        single = xlsx.write_register(records, register.title, columns, batch=False)
        registers += 1
        rows += len(records)
        if cells(batched) != cells(single):
            mismatches.append(f"{name} as {login}")
print(f"XLSX-DEMO {registers} registers, {rows} rows, {refused} refused, mismatches {mismatches}")
env.cr.rollback()
"""


def test_demo_registers_read_per_chunk_as_record_by_record(installed):
    assert installed["rc"] == 0, installed["log"][-3000:]
    rc, out = kamctl(
        "odoo",
        "shell",
        "-d",
        installed["db"],
        "--no-http",
        "--log-level=warn",
        input=SCRIPT,
        log_name="xlsx-demo.log",
        timeout=900,
    )
    assert rc == 0, out[-3000:]
    assert not gate_lines(out), gate_lines(out)
    found = re.search(r"XLSX-DEMO (\d+) registers, (\d+) rows, (\d+) refused, mismatches (.*)", out)
    assert found, out[-3000:]
    registers, rows, _refused, mismatches = found.groups()
    assert mismatches == "[]", mismatches
    # the demo fills the registers: every user exports some of them, with rows
    assert int(registers) >= 60 and int(rows) >= 500, found.group(0)
