import datetime
import io
import zipfile

import openpyxl
import xlsxwriter
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tools import xlsx

from .common import KamCommon, load_dutch

HEADER_ROW = 4  # 1-based, as openpyxl counts
TODAY = datetime.date(2026, 3, 16)


def sheet_of(content):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def cells_of(content):
    """(value, number format) of every cell from the header row on."""
    ws = sheet_of(content)
    return [
        [(cell.value, cell.number_format if cell.value is not None else None) for cell in row]
        for row in ws.iter_rows(min_row=HEADER_ROW)
    ]


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestXlsxBatch(KamCommon):
    """The writer reads a chunk's columns from one SQL query (many2one names,
    selection labels and dates converted once), a many2many from its relation
    table and computed counts per chunk: every register gives the same cells as
    reading each record through the ORM (``batch=False``), in Dutch, as an
    officer, a KAM user and the officer of another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_dutch(cls.env)
        cls.officer_nl = new_test_user(
            cls.env,
            login="xlsx_batch_officer",
            groups="kam_management.group_kam_officer",
            name="Sanne de Vries",
            lang="nl_NL",
            tz="Europe/Amsterdam",
        )
        cls.theme_a = cls.env.ref("kam_management.kam_theme_quality")
        cls.theme_b = cls.env.ref("kam_management.kam_theme_health_safety")
        cls.theme_old = cls.env.ref("kam_management.kam_theme_environment")
        department = cls.env["hr.department"].create({"name": "Xlsx Lasafdeling"})
        customer = cls.env["res.partner"].create({"name": "Xlsx Klant B.V.", "is_company": True})
        Case = cls.env["kam.case"].with_context(tracking_disable=True, kam_no_acknowledgement=True)
        cls.cases = Case.create(
            [
                {
                    "title": "Xlsx lasnaad gescheurd",
                    "severity": "major",
                    "date_found": datetime.date(2026, 1, 5),
                    "deadline": datetime.date(2026, 2, 1),
                    "user_id": cls.officer_nl.id,
                    "department_id": department.id,
                    # stored in any order: shown in the themes' order
                    "theme_ids": [Command.set((cls.theme_old | cls.theme_b | cls.theme_a).ids)],
                    "source": "audit",
                },
                {
                    "title": "Xlsx verkeerde tekening",
                    "severity": "critical",
                    "date_found": datetime.date(2025, 12, 24),
                    "deadline": datetime.date(2026, 12, 31),
                    "theme_ids": [Command.set(cls.theme_a.ids)],
                },
                {
                    "title": "Xlsx klacht levering",
                    "case_type": "complaint",
                    "partner_id": customer.id,
                    "date_received": datetime.date(2026, 2, 2),
                    "user_id": cls.kam_officer.id,
                },
                {"title": "Xlsx zonder veel gegevens", "severity": "minor"},
            ]
        )
        cls.cases[1].closed_date = datetime.datetime(2026, 3, 1, 23, 30)  # 2 March in Amsterdam
        # an archived theme is not shown, as the list view does not show it
        cls.theme_old.active = False
        cls.env["kam.action"].with_context(tracking_disable=True).create(
            [
                {
                    "name": f"Xlsx maatregel {i}",
                    "user_id": cls.kam_user.id,
                    "deadline": datetime.date(2026, 3, 1 + i),
                    "case_id": cls.cases[0].id,
                }
                for i in range(3)
            ]
        )
        Case.with_user(cls.user_company_2).create(
            {"title": "Xlsx tweede bedrijf", "company_id": cls.company_2.id}
        )

    def _both(self, model, register, user):
        """(content read per chunk, content read record by record) of a register,
        as ``user`` exports it (in their language and time zone)."""
        Model = self.env[model].with_user(user).with_context(lang=user.lang, tz=user.tz)
        register = Model._kam_register(register)
        records = Model.search(list(register.domain), order=register.order)
        columns = register.get_columns()
        batched = xlsx.write_register(records, register.title, columns, chunk_size=2)
        Model.env.invalidate_all()
        single = xlsx.write_register(records, register.title, columns, batch=False)
        return records, batched, single

    def test_every_register_same_cells_as_the_orm(self):
        index = self.env["kam.register.mixin"]._kam_register_index()
        compared = 0
        for user in (self.officer_nl, self.kam_user, self.user_company_2):
            for name, (model, _register) in sorted(index.items()):
                with self.subTest(register=name, user=user.login):
                    try:
                        records, batched, single = self._both(model, name, user)
                    except AccessError:
                        # a register the user may not read: refused by both paths
                        Model = self.env[model].with_user(user)
                        register = Model._kam_register(name)
                        with self.assertRaises(AccessError):
                            records = Model.search(list(register.domain))
                            xlsx.write_register(
                                records, register.title, register.get_columns(), batch=False
                            )
                        continue
                    self.assertEqual(cells_of(batched), cells_of(single))
                    compared += len(records)
        self.assertGreater(compared, 10)

    def test_case_register_in_dutch(self):
        """The values of the SQL path themselves: Dutch labels, names, dates, tags."""
        _records, batched, _single = self._both("kam.case", "case", self.officer_nl)
        ws = sheet_of(batched)
        headers = [cell.value for cell in ws[HEADER_ROW]]
        rows = {
            row[headers.index("Titel")]: dict(zip(headers, row, strict=True))
            for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        }
        welding = rows["Xlsx lasnaad gescheurd"]
        self.assertEqual(welding["Ernst"], "Ernstig")
        self.assertEqual(welding["Type"], "Afwijking")
        self.assertEqual(welding["Bron"], "Audit")
        self.assertEqual(welding["Verantwoordelijke"], "Sanne de Vries")
        self.assertEqual(welding["Afdeling"], "Xlsx Lasafdeling")
        self.assertEqual(welding["KAM-thema's"], "Kwaliteit, Arbo")
        self.assertEqual(welding["Datum geconstateerd"], datetime.datetime(2026, 1, 5))
        self.assertEqual(welding["Open maatregelen"], 3)
        self.assertEqual(welding["Te laat"], "Ja")
        self.assertEqual(welding["Fase"], "Nieuw")
        drawing = rows["Xlsx verkeerde tekening"]
        self.assertEqual(drawing["Ernst"], "Kritiek")
        self.assertEqual(drawing["KAM-thema's"], "Kwaliteit")
        self.assertEqual(drawing["Gesloten op"], datetime.datetime(2026, 3, 2, 0, 30))
        self.assertEqual(drawing["Open maatregelen"], 0)
        self.assertEqual(drawing["Te laat"], "Nee")
        self.assertEqual(rows["Xlsx klacht levering"]["Type"], "Klacht")
        empty = rows["Xlsx zonder veel gegevens"]
        self.assertIsNone(empty["Afdeling"])
        self.assertIsNone(empty["KAM-thema's"])
        self.assertNotIn("Xlsx tweede bedrijf", rows)

    def test_rows_follow_the_record_rules(self):
        """An officer gets the cases of their company only, a KAM user only the
        cases they may read, the officer of the other company only theirs."""
        expected = {
            self.officer_nl: self.cases.filtered(lambda case: case.company_id == self.company),
            self.kam_user: self.env["kam.case"].with_user(self.kam_user).search([]),
            self.user_company_2: self.env["kam.case"].search(
                [("company_id", "=", self.company_2.id)]
            ),
        }
        for user, cases in expected.items():
            with self.subTest(user=user.login):
                Case = self.env["kam.case"].with_user(user)
                _name, content = Case._kam_register_export("case", [("title", "like", "Xlsx")])
                ws = sheet_of(content)
                references = [
                    row[0] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
                ]
                self.assertEqual(
                    sorted(references),
                    sorted(cases.filtered(lambda case: "Xlsx" in case.title).mapped("name")),
                )
                titles = {row[1] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
                if user != self.user_company_2:
                    self.assertNotIn("Xlsx tweede bedrijf", titles)
                else:
                    self.assertEqual(titles, {"Xlsx tweede bedrijf"})

    def test_texts_stay_texts(self):
        """A text typed into a case that looks like a formula, a link or a number
        is written as that text: no formula runs when the register is opened."""
        texts = [
            '=HYPERLINK("http://example.com/x","Klik")',
            "+31 6 12345678",
            "-2+3",
            "@SUM(A1:A9)",
            "http://example.com/melding",
            "0031",
        ]
        Case = self.env["kam.case"].with_context(tracking_disable=True)
        cases = Case.create([{"title": text} for text in texts])
        _name, content = (
            self.env["kam.case"]
            .with_user(self.kam_officer)
            ._kam_register_export("case", [("id", "in", cases.ids)])
        )
        ws = sheet_of(content)
        cells = {row[1].value: row[1] for row in ws.iter_rows(min_row=HEADER_ROW + 1)}
        self.assertEqual(set(cells), set(texts))
        for cell in cells.values():
            self.assertEqual(cell.data_type, "s", cell.value)
            self.assertIsNone(cell.hyperlink)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet_xml)
        self.assertNotIn("hyperlink", sheet_xml)

    def test_queries_per_chunk(self):
        """One record or a full chunk: the same queries; each chunk more: the
        same number more (the SQL of the chunk, the relation, the counts...)."""
        Case = self.env["kam.case"].with_context(tracking_disable=True)
        cases = Case.create(
            [
                {
                    "title": f"Xlsx chunk {i}",
                    "theme_ids": [Command.set((self.theme_a | self.theme_b).ids[: 1 + i % 2])],
                    "user_id": (self.kam_officer | self.officer_nl)[i % 2].id,
                    "date_found": datetime.date(2025, 12, 1),
                    "deadline": datetime.date(2026, 1, 1 + i),
                }
                for i in range(12)
            ]
        ).with_user(self.kam_manager)  # none of the responsibles: their names are read
        self.env.flush_all()
        register = cases._kam_register("case")
        columns = register.get_columns()

        def queries(records):
            records.env.invalidate_all()
            start = self.env.cr.sql_log_count
            content = xlsx.write_register(records, register.title, columns, chunk_size=4)
            self.assertEqual(sheet_of(content).max_row, HEADER_ROW + len(records))
            return self.env.cr.sql_log_count - start

        queries(cases)  # warm the caches
        one = queries(cases[:1])
        chunk = queries(cases[:4])
        two = queries(cases[:8])
        three = queries(cases)
        self.assertEqual(one, chunk)
        self.assertEqual(three - two, two - chunk)
        self.assertLessEqual(two - chunk, 8)

    def test_typed_writers(self):
        """The writer calls xlsxwriter's typed writers without their decorator
        (``_write_string``, ``_write_number``): the same cells as the public ones."""
        files = []
        for private in (False, True):
            output = io.BytesIO()
            workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
            sheet = workbook.add_worksheet("x")
            date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
            write_string = sheet._write_string if private else sheet.write_string
            write_number = sheet._write_number if private else sheet.write_number
            write_string(0, 0, "=1+1", None)
            write_number(0, 1, 45000.5, date_format)
            write_number(1, 0, 3, None)
            workbook.close()
            files.append(output.getvalue())
        sheets = [openpyxl.load_workbook(io.BytesIO(content)).worksheets[0] for content in files]
        self.assertEqual(
            [
                [(c.value, c.data_type, c.number_format) for c in row]
                for row in sheets[0].iter_rows()
            ],
            [
                [(c.value, c.data_type, c.number_format) for c in row]
                for row in sheets[1].iter_rows()
            ],
        )
        self.assertEqual(sheets[1]["A1"].value, "=1+1")
        self.assertEqual(sheets[1]["A1"].data_type, "s")

    def test_source_labels_per_language(self):
        """The action sources' labels (the selection of ``source_ref``, cached per
        language since every computed action checks its source against it)."""
        Action = self.env["kam.action"]
        english = dict(Action.with_context(lang="en_US")._selection_source_models())
        dutch = dict(Action.with_context(lang="nl_NL")._selection_source_models())
        self.assertEqual(set(english), set(dutch))
        self.assertIn("kam.risk", english)
        self.assertEqual(english["kam.case"], "KAM case")
        self.assertEqual(dutch["kam.case"], "KAM-melding")
        # the action list shows the source of each action, as before
        action = self.env["kam.action"].search([("case_id", "=", self.cases[0].id)], limit=1)
        self.assertEqual(action.source_ref, self.cases[0])
        self.assertEqual(action.source_name, self.cases[0].display_name)
