import datetime
import gc
import io
import json
import tracemalloc
import urllib.parse
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.kam_management.tools import xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 4  # 1-based, as openpyxl counts
# the headers of the registers, as they were before the registers moved to their models
CASE_HEADERS = [
    "Reference",
    "Title",
    "Date found",
    "Deadline",
    "Stage",
    "Type",
    "Severity",
    "Responsible",
    "Department",
    "KAM themes",
    "Source",
    "Root cause category",
    "Open actions",
    "Closed on",
    "Overdue",
]
ACTION_HEADERS = [
    "Action",
    "Kind",
    "Source",
    "Owner",
    "Deadline",
    "Status",
    "Done on",
    "Check effectiveness on",
    "Verified by",
    "Verified on",
    "Overdue",
]
COMPLAINT_HEADERS = [
    "Reference",
    "Title",
    "Received on",
    "Channel",
    "Category",
    "Customer",
    "Contact",
    "Sale order",
    "Product",
    "Claimed impact",
    "Assessment",
    "Reason of the assessment",
    "Answer expected by",
    "Acknowledged on",
    "Stage",
    "Responsible",
    "Root cause category",
    "Root causes",
    "Open actions",
    "Closed on",
    "Handling time (days)",
    "Customer satisfaction",
    "Overdue",
]


@tagged("post_install", "-at_install")
class TestXlsx(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="xlsx_officer",
            groups="kam_management.group_kam_officer",
            name="Xlsx Officer",
            tz="Europe/Amsterdam",
        )
        cls.user = new_test_user(
            cls.env, login="xlsx_user", groups="kam_management.group_kam_user", name="Xlsx User"
        )
        cls.department = cls.env["hr.department"].create({"name": "Xlsx Production"})
        cls.theme = cls.env.ref("kam_management.kam_theme_quality")
        Case = cls.env["kam.case"].with_context(tracking_disable=True)
        common = {
            "department_id": cls.department.id,
            "theme_ids": [(6, 0, cls.theme.ids)],
            "user_id": cls.officer.id,
        }
        cls.nc_major = Case.create(
            dict(
                common,
                title="Xlsx welding seam cracked",
                severity="major",
                date_found=datetime.date(2020, 3, 4),
                deadline=datetime.date(2020, 4, 1),
            )
        )
        cls.nc_major_user = Case.create(
            dict(
                common,
                title="Xlsx wrong drawing used",
                severity="major",
                date_found=datetime.date(2020, 2, 1),
                deadline=datetime.date(2099, 1, 1),
                reported_by_id=cls.user.id,
            )
        )
        # stored in UTC, exported in the user's time zone
        cls.nc_major_user.closed_date = datetime.datetime(2025, 5, 6, 10, 30)
        cls.nc_minor = Case.create(
            dict(
                common,
                title="Xlsx label missing",
                severity="minor",
                date_found=datetime.date(2025, 3, 5),
            )
        )
        cls.complaint = Case.create(
            dict(
                common,
                title="Xlsx customer complaint",
                case_type="complaint",
                severity="major",
                date_found=datetime.date(2025, 3, 6),
            )
        )
        Action = cls.env["kam.action"].with_context(tracking_disable=True)
        cls.action_officer = Action.create(
            {
                "name": "Xlsx repair the seam",
                "user_id": cls.officer.id,
                "deadline": datetime.date(2020, 3, 20),
                "case_id": cls.nc_major.id,
            }
        )
        cls.action_user = Action.create(
            {
                "name": "Xlsx retrain the welders",
                "user_id": cls.user.id,
                "deadline": datetime.date(2099, 6, 30),
                "case_id": cls.nc_major.id,
                "kind": "preventive",
            }
        )

    # ------------------------------------------------------------------ helpers
    def _get(self, register, domain=None, **kwargs):
        url = f"/kam/xlsx/{register}"
        if domain is not None:
            url += "?domain=" + urllib.parse.quote(
                domain if isinstance(domain, str) else json.dumps(domain)
            )
        return self.url_open(url, **kwargs)

    def _sheet(self, response):
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(workbook.worksheets), 1)
        return workbook.worksheets[0]

    def _column(self, ws, label):
        headers = [cell.value for cell in ws[HEADER_ROW]]
        return headers.index(label) + 1

    def _values(self, ws, label):
        col = self._column(ws, label)
        return [ws.cell(row=row, column=col).value for row in range(HEADER_ROW + 1, ws.max_row + 1)]

    # ------------------------------------------------------------------ downloads
    def test_nonconformity_register_filtered(self):
        self.authenticate("xlsx_officer", "xlsx_officer")
        response = self._get("nonconformity", [["severity", "=", "major"]])
        ws = self._sheet(response)
        disposition = response.headers["Content-Disposition"]
        self.assertIn("attachment", disposition)
        self.assertRegex(disposition, r"nonconformity_register_\d{4}-\d{2}-\d{2}\.xlsx")

        self.assertEqual(ws.title, "Nonconformity register")
        self.assertEqual(ws["A1"].value, "Nonconformity register")
        self.assertIn("Xlsx Officer", ws["A2"].value)
        labels = CASE_HEADERS
        self.assertEqual([cell.value for cell in ws[HEADER_ROW]], labels)
        self.assertEqual(labels[:3], ["Reference", "Title", "Date found"])

        # only the major nonconformities: not the minor one, not the complaint
        expected = self.env["kam.case"].search(
            [("case_type", "=", "nonconformity"), ("severity", "=", "major")]
        )
        titles = self._values(ws, "Title")
        self.assertEqual(len(titles), len(expected))
        self.assertEqual(set(titles), set(expected.mapped("title")))
        self.assertIn(self.nc_major.title, titles)
        self.assertIn(self.nc_major_user.title, titles)
        self.assertNotIn(self.nc_minor.title, titles)
        self.assertNotIn(self.complaint.title, titles)
        self.assertEqual(set(self._values(ws, "Severity")), {"Major"})
        self.assertEqual(set(self._values(ws, "Type")), {"Nonconformity"})
        # register order: newest finding first
        self.assertLess(titles.index(self.nc_major.title), titles.index(self.nc_major_user.title))

        # real Excel dates, in the user's time zone; empty values stay blank
        row = HEADER_ROW + 1 + titles.index(self.nc_major.title)
        found = ws.cell(row=row, column=self._column(ws, "Date found"))
        self.assertIsInstance(found.value, datetime.datetime)
        self.assertEqual(found.value, datetime.datetime(2020, 3, 4))
        self.assertTrue(found.is_date)
        self.assertIsNone(ws.cell(row=row, column=self._column(ws, "Closed on")).value)
        self.assertEqual(ws.cell(row=row, column=self._column(ws, "Overdue")).value, "Yes")
        self.assertEqual(ws.cell(row=row, column=self._column(ws, "Open actions")).value, 2)
        self.assertEqual(
            ws.cell(row=row, column=self._column(ws, "Department")).value, "Xlsx Production"
        )
        self.assertEqual(
            ws.cell(row=row, column=self._column(ws, "KAM themes")).value, self.theme.name
        )
        row_user = HEADER_ROW + 1 + titles.index(self.nc_major_user.title)
        closed = ws.cell(row=row_user, column=self._column(ws, "Closed on")).value
        self.assertEqual(closed, datetime.datetime(2025, 5, 6, 12, 30))  # CEST = UTC+2
        self.assertEqual(ws.cell(row=row_user, column=self._column(ws, "Overdue")).value, "No")

        # frozen header, autofilter over header and data
        self.assertEqual(ws.freeze_panes, f"A{HEADER_ROW + 1}")
        last = get_column_letter(len(labels))
        self.assertEqual(ws.auto_filter.ref, f"A{HEADER_ROW}:{last}{HEADER_ROW + len(expected)}")

    def test_action_register(self):
        self.authenticate("xlsx_officer", "xlsx_officer")
        response = self._get("action", [["case_id", "=", self.nc_major.id]])
        ws = self._sheet(response)
        self.assertIn("action_register_", response.headers["Content-Disposition"])
        self.assertEqual(ws["A1"].value, "Action list")
        self.assertEqual([cell.value for cell in ws[HEADER_ROW]], ACTION_HEADERS)
        # ordered by deadline
        self.assertEqual(
            self._values(ws, "Action"), ["Xlsx repair the seam", "Xlsx retrain the welders"]
        )
        self.assertEqual(self._values(ws, "Kind"), ["Corrective action", "Preventive action"])
        self.assertEqual(self._values(ws, "Owner"), ["Xlsx Officer", "Xlsx User"])
        self.assertEqual(set(self._values(ws, "Source")), {self.nc_major.display_name})
        self.assertEqual(
            self._values(ws, "Deadline"),
            [datetime.datetime(2020, 3, 20), datetime.datetime(2099, 6, 30)],
        )
        self.assertEqual(self._values(ws, "Status"), ["Open", "Open"])
        self.assertEqual(self._values(ws, "Overdue"), ["Yes", "No"])
        self.assertEqual(self._values(ws, "Verified by"), [None, None])
        self.assertEqual(ws.freeze_panes, f"A{HEADER_ROW + 1}")
        self.assertTrue(ws.auto_filter.ref)

    def test_case_register(self):
        """All cases, of every type; the model of the list view is checked."""
        self.authenticate("xlsx_officer", "xlsx_officer")
        response = self._get("case", [["title", "like", "Xlsx"]], params={"model": "kam.case"})
        ws = self._sheet(response)
        self.assertEqual(ws["A1"].value, "Case register")
        self.assertEqual(
            set(self._values(ws, "Title")),
            {
                self.nc_major.title,
                self.nc_major_user.title,
                self.nc_minor.title,
                self.complaint.title,
            },
        )
        self.assertEqual(set(self._values(ws, "Type")), {"Nonconformity", "Complaint"})
        # a register key inherited from another action: a clear error, not a wrong file
        response = self._get(
            "nonconformity", [["case_id", "=", self.nc_major.id]], params={"model": "kam.action"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot export the records of this list", response.text)

    def test_complaint_register(self):
        """Every complaint column: customer, order, assessment, cause, handling, satisfaction."""
        customer = self.env["res.partner"].create({"name": "Xlsx Klant B.V.", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Xlsx Karin", "parent_id": customer.id})
        product = self.env["product.product"].create({"name": "Xlsx hekwerk"})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [(0, 0, {"product_id": product.id})]}
        )
        complaint = (
            self.env["kam.case"]
            .with_context(tracking_disable=True, kam_no_acknowledgement=True)
            .create(
                {
                    "title": "Xlsx hekwerk verbogen",
                    "case_type": "complaint",
                    "channel": "email",
                    "date_received": datetime.date(2025, 6, 2),
                    "complaint_category_id": self.env.ref(
                        "kam_management.kam_complaint_category_delivery"
                    ).id,
                    "partner_id": customer.id,
                    "contact_id": contact.id,
                    "sale_order_id": order.id,
                    "product_id": product.id,
                    "claimed_impact": "Two days of delay",
                    "justification": "justified",
                    "justification_reason": "Packaging too thin",
                    "user_id": self.officer.id,
                    "cause_ids": [
                        (
                            0,
                            0,
                            {
                                "method": "fishbone",
                                "category": "method",
                                "name": "No packaging instruction",
                                "is_root_cause": True,
                            },
                        ),
                        (0, 0, {"method": "fishbone", "category": "material", "name": "Thin foil"}),
                    ],
                }
            )
        )
        complaint.write(
            {"closed_date": datetime.datetime(2025, 6, 12, 9, 0), "satisfaction": "satisfied"}
        )
        self.authenticate("xlsx_officer", "xlsx_officer")
        response = self._get("complaint", [["title", "like", "Xlsx"]], params={"model": "kam.case"})
        ws = self._sheet(response)
        self.assertEqual(ws["A1"].value, "Complaint register")
        self.assertIn("complaint_register_", response.headers["Content-Disposition"])
        headers = [cell.value for cell in ws[HEADER_ROW]]
        self.assertEqual(headers, COMPLAINT_HEADERS)
        # complaints only, newest receipt first (the other one was received today)
        self.assertEqual(self._values(ws, "Reference"), [self.complaint.name, complaint.name])
        expected = {
            "Title": "Xlsx hekwerk verbogen",
            "Received on": datetime.datetime(2025, 6, 2),
            "Channel": "E-mail",
            "Category": "Delivery",
            "Customer": "Xlsx Klant B.V.",
            "Contact": "Xlsx Klant B.V., Xlsx Karin",
            "Sale order": order.name,
            "Product": "Xlsx hekwerk",
            "Claimed impact": "Two days of delay",
            "Assessment": "Justified",
            "Reason of the assessment": "Packaging too thin",
            "Responsible": "Xlsx Officer",
            "Root cause category": "Method",
            "Root causes": "No packaging instruction",
            "Open actions": 0,
            "Closed on": datetime.datetime(2025, 6, 12, 11, 0),  # Europe/Amsterdam
            "Handling time (days)": 10,
            "Customer satisfaction": "Satisfied",
        }
        for label, value in expected.items():
            with self.subTest(column=label):
                self.assertEqual(self._values(ws, label)[1], value)
        # the open complaint: no handling time yet
        self.assertIsNone(self._values(ws, "Handling time (days)")[0])

    def test_record_rules_apply(self):
        """A KAM user gets only the cases they reported or follow up, and their actions."""
        self.authenticate("xlsx_user", "xlsx_user")
        ws = self._sheet(self._get("nonconformity"))
        self.assertEqual(self._values(ws, "Title"), [self.nc_major_user.title])
        self.assertEqual(self._values(ws, "Reference"), [self.nc_major_user.name])
        # their own action, also when they may not read its case (its source is named)
        ws = self._sheet(self._get("action"))
        self.assertEqual(self._values(ws, "Action"), ["Xlsx retrain the welders"])
        self.assertEqual(self._values(ws, "Source"), [self.nc_major.display_name])

    def test_empty_result(self):
        self.authenticate("xlsx_officer", "xlsx_officer")
        ws = self._sheet(self._get("nonconformity", [["title", "=", "no such case"]]))
        self.assertEqual(ws.max_row, HEADER_ROW)
        self.assertEqual(ws["A4"].value, "Reference")

    # ------------------------------------------------------------------ bad requests
    def test_unknown_register(self):
        self.authenticate("xlsx_officer", "xlsx_officer")
        response = self._get("no_such_register")
        self.assertEqual(response.status_code, 404)
        self.assertIn("There is no register no_such_register.", response.text)

    def test_malformed_domain(self):
        self.authenticate("xlsx_officer", "xlsx_officer")
        for domain in ("not json", '{"severity": "major"}', '"severity"', "[1, 2"):
            response = self._get("nonconformity", domain)
            self.assertEqual(response.status_code, 400, domain)
            self.assertIn("must be a JSON list", response.text)
            self.assertNotIn("Traceback", response.text)
        for domain in (
            [["no_such_field", "=", 1]],
            [["severity", "no such operator", "major"]],
            [["severity", "=", "major", "extra"]],
            ["|", ["severity", "=", "major"]],
            [42],
        ):
            response = self._get("nonconformity", domain)
            self.assertEqual(response.status_code, 400, domain)
            self.assertIn("The filter of the export is not valid", response.text)
            self.assertNotIn("Traceback", response.text)

    def test_no_access(self):
        """An employee without a KAM group gets a 403, not a file."""
        new_test_user(self.env, login="xlsx_employee", groups="base.group_user")
        self.authenticate("xlsx_employee", "xlsx_employee")
        response = self._get("nonconformity")
        self.assertEqual(response.status_code, 403)
        self.assertNotEqual(response.headers.get("Content-Type"), XLSX_MIMETYPE)

    def test_unauthenticated(self):
        response = self._get("nonconformity", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self._get("nonconformity")
        self.assertNotEqual(response.headers.get("Content-Type"), XLSX_MIMETYPE)
        self.assertNotIn("Content-Disposition", response.headers)

    # ------------------------------------------------------------------ list view button
    def test_list_button_downloads(self):
        """The "Export to Excel" button of the nonconformity list downloads the register
        with the list's filters."""
        action = self.env.ref("kam_management.kam_case_action_nonconformity")
        code = """
            const { browser } = odoo.loader.modules.get("@web/core/browser/browser");
            const { downloadFile } = odoo.loader.modules.get("@web/core/network/download");
            const urls = [];
            const files = [];
            const fetch = browser.fetch;
            browser.fetch = (url, ...args) => {
                urls.push(String(url));
                return fetch(url, ...args);
            };
            downloadFile._download = (data, filename, mimetype) => {
                files.push({ size: data.size, filename, mimetype });
            };
            const sleep = () => new Promise((resolve) => setTimeout(resolve, 100));
            (async () => {
                let button;
                for (let i = 0; i < 100 && !button; i++) {
                    button = document.querySelector(".o_list_view .o_kam_xlsx_export");
                    await sleep();
                }
                if (!button) {
                    throw new Error("no Export to Excel button in the list view");
                }
                button.click();
                for (let i = 0; i < 100 && !files.length; i++) {
                    await sleep();
                }
                const url = new URL(urls[0], location.origin);
                const domain = JSON.parse(url.searchParams.get("domain"));
                const file = files[0];
                if (
                    url.pathname === "/kam/xlsx/nonconformity" &&
                    url.searchParams.get("model") === "kam.case" &&
                    JSON.stringify(domain).includes("nonconformity") &&
                    file && file.size > 0 &&
                    file.filename.startsWith("nonconformity_register_") &&
                    file.mimetype.startsWith("application/vnd.openxmlformats")
                ) {
                    console.log("test successful");
                } else {
                    console.error("unexpected download", JSON.stringify({ urls, files }));
                }
            })();
        """
        self.browser_js(
            f"/odoo/action-{action.id}?view_type=list",
            code,
            ready="odoo.isReady === true",
            login="xlsx_officer",
        )

    # ------------------------------------------------------------------ registers
    def test_registers_found_on_their_models(self):
        """The route finds each register on the model that declares it, through
        the registry (every model inheriting kam.register.mixin)."""
        Mixin = self.env["kam.register.mixin"]
        expected = {
            "nonconformity": "kam.case",
            "case": "kam.case",
            "complaint": "kam.case",
            "incident": "kam.case",
            "accident_register": "kam.case",
            "action": "kam.action",
            "action_plan": "kam.action",
            "supplier_evaluation": "kam.supplier.evaluation",
            "audit_programme": "kam.audit",
            "audit_findings": "kam.audit.line",
            "certificate": "kam.certificate",
            "requirement": "kam.requirement",
            "compliance_evaluation": "kam.requirement.evaluation",
            "requirement_change": "kam.requirement.change",
            "aspect": "kam.aspect",
            "context": "kam.context.issue",
            "interested_party": "kam.interested.party.need",
            "risk_opportunity": "kam.risk.opportunity",
            "satisfaction_campaign": "kam.satisfaction.campaign",
            "document": "kam.document",
            "document_version": "kam.document.version",
            "document_acknowledgement": "kam.document.acknowledgement",
            "toolbox": "kam.toolbox",
            "toolbox_attendance": "kam.toolbox.attendee",
            "advice": "kam.advice",
            "awareness": "kam.awareness.report",
            "objective": "kam.objective",
            "indicator": "kam.indicator",
            "indicator_value": "kam.indicator.value",
            "review_annex": "kam.review.figure",
        }
        index = Mixin._kam_register_index()
        self.assertEqual({name: found[0] for name, found in index.items()}, expected)
        for name, model in expected.items():
            self.assertEqual(Mixin._kam_register_model(name), model)
            self.assertEqual(self.env[model]._kam_register(name).name, name)
        self.assertIsNone(Mixin._kam_register_model("no_such_register"))
        # a model's own registers only
        self.assertIsNone(self.env["kam.case"]._kam_register("action"))
        with self.assertRaisesRegex(UserError, "There is no register action"):
            self.env["kam.case"]._kam_register_export("action")
        # downloads of registers declared on a third model (supplier evaluations)
        # and by another file extending a model (the plan van aanpak in kam_risk.py)
        self.authenticate("xlsx_officer", "xlsx_officer")
        ws = self._sheet(self._get("supplier_evaluation"))
        self.assertEqual(ws["A1"].value, "Supplier evaluations")
        self.assertEqual(ws.cell(row=HEADER_ROW, column=1).value, "Supplier")
        response = self._get("action_plan", params={"model": "kam.action"})
        ws = self._sheet(response)
        self.assertIn("plan_van_aanpak_", response.headers["Content-Disposition"])
        self.assertEqual(ws["A1"].value, "Plan van aanpak (RI&E)")
        self.assertEqual(ws.cell(row=HEADER_ROW, column=1).value, "Hazard")

    def test_register_names_unique(self):
        """Register names are the key of the route: unique across all models."""
        declared = [
            (name, register)
            for name in ("kam.case", "kam.action", "kam.supplier.evaluation")
            for register in self.env[name]._kam_registers()
        ]
        names = [register.name for _model, register in declared]
        self.assertEqual(len(names), len(set(names)), names)
        self.assertEqual(set(xlsx.index_registers(declared)), set(names))
        # the index refuses a name declared twice, on two models or on one
        case = self.env["kam.case"]._kam_register("case")
        with self.assertRaisesRegex(ValueError, "'case' is declared twice"):
            xlsx.index_registers([*declared, ("kam.action", case)])
        with self.assertRaisesRegex(ValueError, "'case' is declared twice"):
            xlsx.index_registers([("kam.case", case), ("kam.case", case)])

    def test_column_helpers(self):
        """Labels default to the field's string; selection labels, many2one names,
        paths through related records; a column needs a kind and a label."""
        Action = self.env["kam.action"].with_user(self.user)
        columns = {c.field: c for c in Action._kam_action_plan_register_columns() if c.field}
        self.assertEqual(columns["risk_id.score"].header(Action), "Risk score (R)")
        self.assertEqual(columns["risk_id.department_id"].header(Action), "Department")
        self.assertEqual(columns["name"].header(Action), "Measure")
        self.assertEqual(xlsx.char("name").header(Action), "Action")
        read_kind = xlsx.selection("kind").reader(Action)
        self.assertEqual(read_kind(self.action_user.with_user(self.user)), "Preventive action")
        read_owner = xlsx.many2one("user_id").reader(Action)
        self.assertEqual(read_owner(self.action_user.with_user(self.user)), "Xlsx User")
        with self.assertRaises(ValueError):
            xlsx.value("Label", lambda record: 1, kind="money")
        with self.assertRaises(ValueError):
            xlsx.value("", lambda record: 1)

    # ------------------------------------------------------------------ performance
    def _export(self, register, records, user=None):
        Model = self.env[self.env["kam.register.mixin"]._kam_register_model(register)]
        return Model.with_user(user or self.officer)._kam_register_export(
            register, [("id", "in", records.ids)]
        )

    def _export_queries(self, register, records):
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        filename, content = self._export(register, records)
        count = self.env.cr.sql_log_count - start
        ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(ws.max_row, HEADER_ROW + len(records), filename)
        return count

    def test_query_count_does_not_grow_per_record(self):
        Case = self.env["kam.case"].with_context(tracking_disable=True)
        cases = Case.create(
            [
                {
                    "title": f"Xlsx bulk case {i}",
                    "severity": "major",
                    "date_found": datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
                    "deadline": datetime.date(2025, 12, 31),
                    "user_id": self.officer.id,
                    "department_id": self.department.id,
                    "theme_ids": [(6, 0, self.theme.ids)],
                }
                for i in range(30)
            ]
        )
        actions = (
            self.env["kam.action"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Xlsx bulk action {case.id}",
                        "user_id": self.user.id,
                        "deadline": datetime.date(2025, 12, 31),
                        "case_id": case.id,
                    }
                    for case in cases
                ]
            )
        )
        self.env.flush_all()
        complaints = Case.with_context(kam_no_acknowledgement=True).create(
            [
                {
                    "title": f"Xlsx bulk complaint {i}",
                    "case_type": "complaint",
                    "partner_id": self.env.user.partner_id.id,
                    "cause_ids": [(0, 0, {"name": f"Cause {i}", "is_root_cause": True})],
                }
                for i in range(30)
            ]
        )
        for register, records in (
            ("nonconformity", cases),
            ("action", actions),
            ("complaint", complaints),
        ):
            # warm the caches (access rules, languages...) first
            self._export_queries(register, records)
            one = self._export_queries(register, records[:1])
            thirty = self._export_queries(register, records)
            self.assertEqual(one, thirty, f"{register}: {one} queries for 1, {thirty} for 30")
            self.assertLess(thirty, 30, register)
            self.env.invalidate_all()
            with self.assertQueryCount(one):
                self._export(register, records)

    def test_streams_large_register(self):
        """Thousands of rows: written in xlsxwriter's constant-memory mode (rows go
        to a temporary file as they are written: inline strings, no shared string
        table), every row present, and a constant number of queries per chunk of
        CHUNK_SIZE records, whatever the number of rows."""
        size = xlsx.CHUNK_SIZE
        Case = self.env["kam.case"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        cases = Case.create(
            [
                {
                    "title": f"Xlsx stream {i:05d}",
                    "severity": "major",
                    "date_found": datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 500),
                    "user_id": self.officer.id,
                    "department_id": self.department.id,
                    "theme_ids": [(6, 0, self.theme.ids)],
                }
                for i in range(2 * size + 1)
            ]
        )
        self.env.flush_all()
        _name, content = self._export("nonconformity", cases)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("xl/sharedStrings.xml", archive.namelist())
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('t="inlineStr"', sheet_xml)
        ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        self.assertEqual(len(rows), len(cases))
        # register order (newest finding first), each record once, real dates
        self.assertEqual(len({row[1] for row in rows}), len(cases))
        self.assertEqual([row[2] for row in rows], sorted((row[2] for row in rows), reverse=True))
        self.assertTrue(all(isinstance(row[2], datetime.datetime) for row in rows))
        self.assertEqual({row[8] for row in rows}, {"Xlsx Production"})
        # queries: one chunk, two, three: the same number more per chunk
        self._export_queries("nonconformity", cases[:1])  # warm the caches
        one_chunk = self._export_queries("nonconformity", cases[:1])
        two_chunks = self._export_queries("nonconformity", cases[: size + 1])
        three_chunks = self._export_queries("nonconformity", cases)
        per_chunk = two_chunks - one_chunk
        self.assertEqual(three_chunks - two_chunks, per_chunk, (one_chunk, two_chunks))
        self.assertLess(per_chunk, 15)
        # memory: a full chunk, then three chunks (twice as many rows more): the
        # peak grows by the file and the ids only (< 100 bytes a row), not by
        # the rows held in the workbook or in the record cache (kilobytes a row)
        one_peak = self._traced_peak("nonconformity", cases[:size])
        three_peak = self._traced_peak("nonconformity", cases)
        self.assertLess(three_peak - one_peak, 500 * size, (one_peak, three_peak))

    def _traced_peak(self, register, records):
        """Peak of the Python memory allocated while exporting ``records``."""
        self.env.invalidate_all()
        gc.collect()
        tracemalloc.start()
        try:
            self._export(register, records)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def test_unknown_register_in_model(self):
        with self.assertRaisesRegex(UserError, "There is no register"):
            self.env["kam.case"]._kam_register_export("no_such_register")

    def test_sheet_name(self):
        self.assertEqual(xlsx.sheet_name("A/B: [C]*?\\ register"), "AB C register")
        self.assertEqual(len(xlsx.sheet_name("x" * 50)), 31)
        self.assertEqual(xlsx.sheet_name("[]"), "Sheet1")
