import datetime

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintFigures(TransactionCase):
    """Complaint KPIs: counts, open vs closed, handling time (average and 90th
    percentile) and the share closed with a satisfied customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "KPI Staal B.V."})
        cls.other_company = cls.env["res.company"].create({"name": "KPI Other B.V."})
        cls.officer = new_test_user(
            cls.env,
            login="kpi_officer",
            groups="kam_management.group_kam_officer",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "KPI Klant", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "KPI railing"})
        delivery = cls.env.ref("kam_management.kam_complaint_category_delivery")
        product_cat = cls.env.ref("kam_management.kam_complaint_category_product")
        Case = cls.env["kam.case"].with_context(tracking_disable=True, kam_no_acknowledgement=True)

        def complaint(received, days=None, satisfied=False, category=delivery, company=None):
            case = Case.create(
                {
                    "title": f"KPI complaint {received} {days}",
                    "case_type": "complaint",
                    "company_id": (company or cls.company).id,
                    "date_received": received,
                    "partner_id": cls.customer.id,
                    "product_id": cls.product.id,
                    "complaint_category_id": category.id,
                    "cause_ids": [
                        (0, 0, {"name": "Root", "category": "method", "is_root_cause": True})
                    ],
                }
            )
            if days is not None:
                # closed `days` calendar days after receipt (the time of day does not count)
                closed = datetime.datetime.combine(
                    received + datetime.timedelta(days=days), datetime.time(23, 30)
                )
                case.write(
                    {
                        "is_closed": True,
                        "closed_date": closed,
                        "satisfaction": "satisfied" if satisfied else "no_answer",
                    }
                )
            return case

        march = datetime.date(2025, 3, 3)
        # March 2025: ten closed after 1..10 days (six satisfied), two open
        for days in range(1, 11):
            complaint(march, days, satisfied=days <= 6)
        complaint(march, category=product_cat)
        complaint(march, category=product_cat)
        # January 2026: one closed after 30 days, not satisfied
        complaint(datetime.date(2026, 1, 15), 30)
        # another company: never counted here
        complaint(march, 100, company=cls.other_company)
        cls.env.flush_all()

    def _rows(self, kind):
        # a SQL view: what an earlier read put in the cache is stale
        self.env.invalidate_all()
        rows = (
            self.env["kam.complaint.report"]
            .with_user(self.officer)
            .search_read(
                [("period_kind", "=", kind)],
                [
                    "period_start",
                    "company_id",
                    "received_count",
                    "closed_count",
                    "open_count",
                    "avg_handling_days",
                    "p90_handling_days",
                    "satisfied_count",
                    "satisfied_share",
                ],
            )
        )
        return {row["period_start"]: row for row in rows}

    def test_monthly_figures(self):
        rows = self._rows("month")
        self.assertEqual(set(rows), {datetime.date(2025, 3, 1), datetime.date(2026, 1, 1)})
        march = rows[datetime.date(2025, 3, 1)]
        self.assertEqual(march["company_id"][0], self.company.id)
        self.assertEqual(
            (march["received_count"], march["closed_count"], march["open_count"]), (12, 10, 2)
        )
        self.assertAlmostEqual(march["avg_handling_days"], 5.5)
        # percentile_cont: 9 + 0.1 * (10 - 9)
        self.assertAlmostEqual(march["p90_handling_days"], 9.1)
        self.assertEqual(march["satisfied_count"], 6)
        self.assertAlmostEqual(march["satisfied_share"], 60.0)
        january = rows[datetime.date(2026, 1, 1)]
        self.assertEqual((january["received_count"], january["open_count"]), (1, 0))
        self.assertAlmostEqual(january["avg_handling_days"], 30.0)
        self.assertAlmostEqual(january["satisfied_share"], 0.0)

    def test_periods_read_as_months_and_years(self):
        """Months as people read them ("maart 2025"), not "2025-03"."""
        self.env["res.lang"]._activate_lang("nl_NL")
        Report = self.env["kam.complaint.report"].with_user(self.officer)
        self.env.invalidate_all()
        labels = {
            row.period_kind: row.period_label
            for row in Report.with_context(lang="nl_NL").search(
                [("period_start", "in", [datetime.date(2025, 3, 1), datetime.date(2025, 1, 1)])]
            )
        }
        self.assertEqual(labels, {"month": "maart 2025", "year": "2025"})
        self.env.invalidate_all()
        months = Report.with_context(lang="en_US").search([("period_kind", "=", "month")])
        self.assertIn("March 2025", months.mapped("period_label"))
        arch = Report.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('name="period_label"', arch)
        self.assertNotIn('name="period_name"', arch)

    def test_year_and_overall_figures(self):
        years = self._rows("year")
        self.assertEqual(set(years), {datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)})
        self.assertAlmostEqual(years[datetime.date(2025, 1, 1)]["p90_handling_days"], 9.1)
        overall = list(self._rows("all").values())
        self.assertEqual(len(overall), 1, "one overall row for the officer's company")
        overall = overall[0]
        self.assertEqual((overall["received_count"], overall["closed_count"]), (13, 11))
        self.assertAlmostEqual(overall["avg_handling_days"], 85 / 11)
        # 11 closed: 1..10 and 30; the 90th percentile lies exactly on the 10th value
        self.assertAlmostEqual(overall["p90_handling_days"], 10.0)
        self.assertAlmostEqual(overall["satisfied_share"], 600 / 11)

    def test_open_complaint_has_no_handling_time(self):
        rows = self._rows("month")
        self.assertEqual(rows[datetime.date(2025, 3, 1)]["open_count"], 2)
        # reopening a complaint takes it out of the handling time
        case = self.env["kam.case"].search(
            [("company_id", "=", self.company.id), ("title", "=", "KPI complaint 2025-03-03 10")]
        )
        self.assertEqual(len(case), 1)
        case.write({"is_closed": False, "closed_date": False, "satisfaction": False})
        self.assertFalse(case.is_closed)
        self.env.flush_all()
        march = self._rows("month")[datetime.date(2025, 3, 1)]
        self.assertEqual(march["open_count"], 3)
        self.assertAlmostEqual(march["avg_handling_days"], 5.0)

    def test_analysis_groupings(self):
        """The complaint analysis groups by category, cause, product, customer,
        month and open/closed."""
        Case = self.env["kam.case"].with_user(self.officer)
        domain = [("case_type", "=", "complaint")]
        by_category = dict(Case._read_group(domain, ["complaint_category_id"], ["__count"]))
        self.assertEqual(
            {category.name: count for category, count in by_category.items()},
            {"Delivery": 11, "Product quality": 2},
        )
        self.assertEqual(
            dict(Case._read_group(domain, ["is_closed"], ["__count"])), {True: 11, False: 2}
        )
        self.assertEqual(
            dict(Case._read_group(domain, ["root_cause_category"], ["__count"])), {"method": 13}
        )
        by_month = Case._read_group(domain, ["date_received:month"], ["__count"])
        self.assertEqual(
            [(month, count) for month, count in by_month],
            [(datetime.date(2025, 3, 1), 12), (datetime.date(2026, 1, 1), 1)],
        )
        for field in ("product_id", "partner_id"):
            groups = Case._read_group(domain, [field], ["__count"])
            self.assertEqual(len(groups), 1)
            self.assertEqual(groups[0][1], 13)

    def test_actions_and_menus(self):
        for xmlid in (
            "kam_management.kam_complaint_report_action",
            "kam_management.kam_case_action_complaint_analysis",
        ):
            action = self.env.ref(xmlid)
            for view_type in ("graph", "pivot", "list"):
                views = (
                    self.env[action.res_model]
                    .with_user(self.officer)
                    .get_views([(False, view_type)])
                )
                self.assertIn(view_type, views["views"])
        self.assertTrue(
            self.env.ref("kam_management.menu_kam_report_complaint_figures")
            ._filter_visible_menus()
            .with_user(self.officer)
        )


@tagged("post_install", "-at_install")
class TestComplaintCustomerReport(HttpCase):
    """The complaint report for the customer (QWeb PDF)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, "crep_officer", groups="kam_management.group_kam_officer", name="Olga Officer"
        )
        customer = cls.env["res.partner"].create(
            {"name": "Rapport Klant B.V.", "is_company": True, "city": "Zwolle"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Rita Rapport", "parent_id": customer.id, "email": "rita@klant.example.com"}
        )
        cls.complaint = (
            cls.env["kam.case"]
            .with_context(kam_no_acknowledgement=True)
            .create(
                {
                    "title": "Coating peeled off",
                    "case_type": "complaint",
                    "partner_id": customer.id,
                    "contact_id": cls.contact.id,
                    "user_id": cls.officer.id,
                    "description": "<p>The coating came off after two weeks.</p>",
                    "justification": "justified",
                    "justification_reason": "Curing time too short",
                    "correction": "<p>We recoated the railing on site.</p>",
                    "cause_ids": [
                        (
                            0,
                            0,
                            {
                                "method": "fishbone",
                                "category": "method",
                                "name": "No curing check",
                                "is_root_cause": True,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "method": "fishbone",
                                "category": "machine",
                                "name": "Internal oven detail",
                            },
                        ),
                    ],
                }
            )
        )
        cls.env["kam.action"].create(
            {
                "name": "Add a curing check to the work instruction",
                "case_id": cls.complaint.id,
                "user_id": cls.officer.id,
                "deadline": datetime.date(2030, 1, 31),
            }
        )

    def test_report_content(self):
        report = self.env.ref("kam_management.action_report_kam_complaint")
        html = str(
            report.with_user(self.officer)._render_qweb_html(
                report.report_name, self.complaint.ids
            )[0]
        )
        for text in (
            self.complaint.name,
            "Coating peeled off",
            "Rita Rapport",
            "The coating came off after two weeks.",
            "We consider your complaint justified.",
            "Curing time too short",
            "We recoated the railing on site.",
            "No curing check",
            "Add a curing check to the work instruction",
        ):
            self.assertIn(text, html)
        # only root causes go to the customer
        self.assertNotIn("Internal oven detail", html)

    def test_report_pdf_and_solution_mail(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        report = self.env.ref("kam_management.action_report_kam_complaint")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.complaint.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # the "solution proposed" mail carries the report
        template = self.env.ref("kam_management.mail_template_complaint_solution")
        values = template.with_context(force_report_rendering=True)._generate_template(
            self.complaint.ids, ["report_template_ids"]
        )[self.complaint.id]
        names = [name for name, _content in values["attachments"]]
        self.assertEqual(names, [f"{self.complaint.name} - Coating peeled off.pdf"])
