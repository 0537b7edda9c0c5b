"""A crafted data set for the indicators and the management review: a company of its
own (so nothing else counts), Q1 2021 as the period measured and Q4 2020 before it.
Every expected figure in the tests is worked out by hand from this table.

Complaints (received, closed at 12:00 UTC, handling days, satisfaction, assessment):
    c1  2020-12-22  2021-01-01  10  satisfied  justified   product
    c2  2021-01-01  2021-01-21  20  satisfied  justified   product
    c3  2021-01-10  2021-02-09  30  satisfied  justified   product
    c4  2021-03-01  2021-03-06   5  no answer  not just.   delivery
    c5  2021-02-15  open                                   (no category)
Sale orders first delivered: 4 in January 2021, 1 in February 2021.
Nonconformities (found, source, severity, deadline, closed, root cause):
    n0  2020-11-01 internal critical  2020-12-15  2020-12-01  man
    n1  2021-01-05 internal major     2021-01-31  2021-01-25  method
    n2  2021-02-10 supplier minor     2021-03-01  2021-03-20  material (late)
    n3  2021-03-15 internal minor     -           open
Actions (kind, deadline, done, judged on, state):
    a1 corrective 2021-01-10 2021-01-08 2021-01-25 verified
    a2 corrective 2021-01-15 2021-01-20 -          done (late)
    a3 corrective 2021-01-20 -          -          open (late)
    a4 corrective 2021-02-10 2021-02-10 2021-02-20 not effective
    a5 improvement 2021-04-30 2021-03-01 2021-03-03 verified
    m1 preventive (RI&E measure of hazard h1) 2021-02-01 2021-01-30 2021-02-15 verified
Incidents (date, kind, days of absence):
    i0 2020-11-05 injury 2 (lost time) · i1 2021-01-12 injury 3 (lost time)
    i2 2021-01-20 near miss (anonymous) · i3 2021-02-03 injury 1, hospital admission
    (notifiable, reported) · i4 2021-02-18 property damage
Hours worked: Q4 2020 30,000 (one row); January 10,000, February 10,000, March 20,000.
Improvement suggestions: s0 2020-12-10 open · s1 2021-02-01 closed 2021-03-01 · s2
2021-03-10 open.
Receipts of supplier S1 (promised, validated): r1 2021-01-12 / 2021-01-10 (on time),
r2 2021-01-15 / 2021-01-20 (late), r3 2021-02-05 08:00 / 2021-02-05 20:00 (on time);
a return of r1 on 2021-01-25 (not counted).
Supplier evaluations (supplier, period, score, class, approved on):
    e1 S1 Q1 2021 90 A 2021-03-31 (receipts 3, on time 2) · e2 S2 Q4 2020 85 A 2021-01-15
    e3 S3 Q4 2020 50 C 2021-02-10 · e4 S4 Q3 2020 70 B 2020-11-20
Roles: preventiemedewerker valid until 2021-06-30, BHV'er expired 2021-02-01, no
KAM-coordinator; three employees. Hazard h1 reviewed on 2021-02-01.
"""

import datetime

from odoo import Command

from .test_supplier_evaluation import KamSupplierCommon

D = datetime.date
DT = datetime.datetime
TODAY = D(2021, 4, 15)
Q1 = (D(2021, 1, 1), D(2021, 3, 31))
READY = (
    "complaints_per_orders",
    "complaints_satisfied",
    "complaint_handling_time",
    "actions_overdue",
    "actions_effective",
    "ltifr",
    "incidents",
    "supplier_on_time",
    "suppliers_class_a",
)


class KamLeadershipData(KamSupplierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.lead = env["res.company"].create({"name": "Leiding Test B.V."})
        company.partner_id.tz = "UTC"
        (cls.kam_user | cls.kam_officer | cls.kam_manager).write(
            {"company_ids": [Command.link(company.id)]}
        )
        cls._complaints(company)
        cls._nonconformities(company)
        cls._actions(company)
        cls._incidents(company)
        cls._suppliers(company)
        cls._resources(company)
        cls.ready = {
            key: env.ref(f"kam_management.kam_indicator_{key}").copy(
                {"company_id": company.id, "date_start": Q1[0], "user_id": cls.kam_officer.id}
            )
            for key in READY
        }

    # ------------------------------------------------------------ data
    @classmethod
    def _case(cls, company, **vals):
        Case = cls.env["kam.case"].with_context(
            tracking_disable=True, kam_no_acknowledgement=True, mail_create_nolog=True
        )
        return Case.create(dict({"company_id": company.id}, **vals))

    @classmethod
    def _closed(cls, vals, closed, cause=None):
        vals = dict(
            vals,
            stage_id=cls.env.ref("kam_management.kam_case_stage_closed").id,
            closed_date=DT(closed.year, closed.month, closed.day, 12),
        )
        if cause:
            vals["fishbone_cause_ids"] = [
                Command.create(
                    {"method": "fishbone", "category": cause, "name": cause, "is_root_cause": True}
                )
            ]
        return vals

    @classmethod
    def _complaints(cls, company):
        cls.customer = cls.env["res.partner"].create({"name": "Klant B.V.", "is_company": True})
        product = cls.env.ref("kam_management.kam_complaint_category_product")
        delivery = cls.env.ref("kam_management.kam_complaint_category_delivery")
        rows = [
            ("c1", D(2020, 12, 22), D(2021, 1, 1), "satisfied", "justified", product),
            ("c2", D(2021, 1, 1), D(2021, 1, 21), "satisfied", "justified", product),
            ("c3", D(2021, 1, 10), D(2021, 2, 9), "satisfied", "justified", product),
            ("c4", D(2021, 3, 1), D(2021, 3, 6), "no_answer", "not_justified", delivery),
        ]
        for name, received, closed, satisfaction, justification, category in rows:
            case = cls._case(
                company,
                **cls._closed(
                    {
                        "title": name,
                        "case_type": "complaint",
                        "partner_id": cls.customer.id,
                        "date_received": received,
                        "date_found": received,
                        "satisfaction": satisfaction,
                        "justification": justification,
                        "complaint_category_id": category.id,
                    },
                    closed,
                    "method",
                ),
            )
            setattr(cls, name, case)
        cls.c5 = cls._case(
            company,
            title="c5",
            case_type="complaint",
            date_received=D(2021, 2, 15),
            date_found=D(2021, 2, 15),
        )
        SaleOrder = cls.env["sale.order"].with_company(company)
        for day in (D(2021, 1, 4), D(2021, 1, 5), D(2021, 1, 20), D(2021, 1, 31), D(2021, 2, 2)):
            order = SaleOrder.create({"partner_id": cls.customer.id, "company_id": company.id})
            order.effective_date = DT(day.year, day.month, day.day, 9)

    @classmethod
    def _nonconformities(cls, company):
        cls.dep = cls.env["hr.department"].create({"name": "Zetterij", "company_id": company.id})
        rows = [
            ("n0", D(2020, 11, 1), "internal", "critical", D(2020, 12, 15), D(2020, 12, 1), "man"),
            ("n1", D(2021, 1, 5), "internal", "major", D(2021, 1, 31), D(2021, 1, 25), "method"),
            ("n2", D(2021, 2, 10), "supplier", "minor", D(2021, 3, 1), D(2021, 3, 20), "material"),
        ]
        for name, found, source, severity, deadline, closed, cause in rows:
            vals = {
                "title": name,
                "case_type": "nonconformity",
                "date_found": found,
                "source": source,
                "severity": severity,
                "deadline": deadline,
                "department_id": cls.dep.id,
            }
            setattr(cls, name, cls._case(company, **cls._closed(vals, closed, cause)))
        cls.n3 = cls._case(
            company,
            title="n3",
            case_type="nonconformity",
            date_found=D(2021, 3, 15),
            source="internal",
            severity="minor",
        )

    @classmethod
    def _actions(cls, company):
        Action = cls.env["kam.action"].with_context(tracking_disable=True)
        factor = cls.env["kam.risk.factor"]
        cls.h1 = cls.env["kam.risk"].create(
            {
                "name": "h1",
                "company_id": company.id,
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
            }
        )
        cls.h1.last_review_date = D(2021, 2, 1)
        rows = [
            ("a1", "corrective", D(2021, 1, 10), D(2021, 1, 8), D(2021, 1, 25), "verified", {}),
            ("a2", "corrective", D(2021, 1, 15), D(2021, 1, 20), False, "done", {}),
            ("a3", "corrective", D(2021, 1, 20), False, False, "open", {}),
            (
                "a4",
                "corrective",
                D(2021, 2, 10),
                D(2021, 2, 10),
                D(2021, 2, 20),
                "not_effective",
                {},
            ),
            ("a5", "improvement", D(2021, 4, 30), D(2021, 3, 1), D(2021, 3, 3), "verified", {}),
            (
                "m1",
                "preventive",
                D(2021, 2, 1),
                D(2021, 1, 30),
                D(2021, 2, 15),
                "verified",
                {"risk_id": cls.h1.id},
            ),
        ]
        for name, kind, deadline, done, verified, state, extra in rows:
            vals = dict(
                extra,
                name=name,
                kind=kind,
                deadline=deadline,
                state=state,
                done_date=done,
                verified_date=verified,
                company_id=company.id,
                user_id=cls.kam_officer.id,
                effectiveness_result="checked" if verified else False,
            )
            setattr(cls, name, Action.create(vals))

    @classmethod
    def _incidents(cls, company):
        rows = [
            ("i0", D(2020, 11, 5), "injury", {"absence_days": 2}),
            ("i1", D(2021, 1, 12), "injury", {"absence_days": 3}),
            ("i2", D(2021, 1, 20), "near_miss", {"is_anonymous": True, "reported_by_id": False}),
            (
                "i3",
                D(2021, 2, 3),
                "injury",
                {
                    "absence_days": 1,
                    "treatment": "hospital",
                    "authority_reported_date": DT(2021, 2, 3, 15),
                },
            ),
            ("i4", D(2021, 2, 18), "damage", {}),
        ]
        for name, found, kind, extra in rows:
            vals = dict(
                extra, title=name, case_type="incident", incident_kind=kind, date_found=found
            )
            setattr(cls, name, cls._case(company, **vals))
        Hours = cls.env["kam.hours.worked"]
        for start, end, hours in (
            (D(2020, 10, 1), D(2020, 12, 31), 30000),
            (D(2021, 1, 1), D(2021, 1, 31), 10000),
            (D(2021, 2, 1), D(2021, 2, 28), 10000),
            (D(2021, 3, 1), D(2021, 3, 31), 20000),
        ):
            Hours.create(
                {"company_id": company.id, "date_from": start, "date_to": end, "hours": hours}
            )
        for name, found, closed in (
            ("s0", D(2020, 12, 10), None),
            ("s1", D(2021, 2, 1), D(2021, 3, 1)),
            ("s2", D(2021, 3, 10), None),
        ):
            vals = {"title": name, "case_type": "improvement", "date_found": found}
            if closed:
                vals = cls._closed(vals, closed)
            setattr(cls, name, cls._case(company, **vals))

    @classmethod
    def _suppliers(cls, company):
        env = cls.env
        cls.s1_partner = env["res.partner"].create({"name": "S1", "is_company": True})
        buyer_env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        cls_env, cls.env = cls.env, buyer_env
        try:
            cls.r1 = cls._receive(cls.s1_partner, 5, DT(2021, 1, 12, 8), DT(2021, 1, 10, 10))
            cls.r2 = cls._receive(cls.s1_partner, 5, DT(2021, 1, 15, 8), DT(2021, 1, 20, 9))
            cls.r3 = cls._receive(cls.s1_partner, 5, DT(2021, 2, 5, 8), DT(2021, 2, 5, 20))
            cls.ret = cls._return(cls.r1, 1, DT(2021, 1, 25, 9))
        finally:
            cls.env = cls_env
        Evaluation = env["kam.supplier.evaluation"].with_context(tracking_disable=True)
        rows = [
            ("e1", cls.s1_partner, Q1, 9.0, D(2021, 3, 31)),
            ("e2", "S2", (D(2020, 10, 1), D(2020, 12, 31)), 8.5, D(2021, 1, 15)),
            ("e3", "S3", (D(2020, 10, 1), D(2020, 12, 31)), 5.0, D(2021, 2, 10)),
            ("e4", "S4", (D(2020, 7, 1), D(2020, 9, 30)), 7.0, D(2020, 11, 20)),
        ]
        for name, partner, (start, end), score, approved in rows:
            if isinstance(partner, str):
                partner = env["res.partner"].create({"name": partner, "is_company": True})
            evaluation = Evaluation.create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_start": start,
                    "date_end": end,
                }
            )
            evaluation.line_ids.score = score
            evaluation.write({"state": "done"})
            evaluation.write({"state": "approved"})
            evaluation.approved_date = approved
            setattr(cls, name, evaluation)

    @classmethod
    def _resources(cls, company):
        Employee = cls.env["hr.employee"]
        employees = Employee.create(
            [{"name": f"Medewerker {i}", "company_id": company.id} for i in range(3)]
        )
        Assignment = cls.env["kam.role.assignment"]
        Assignment.create(
            {
                "employee_id": employees[0].id,
                "role_id": cls.env.ref("kam_management.kam_role_preventie").id,
                "company_id": company.id,
                "expiry_date": D(2021, 6, 30),
            }
        )
        Assignment.create(
            {
                "employee_id": employees[1].id,
                "role_id": cls.env.ref("kam_management.kam_role_bhv").id,
                "company_id": company.id,
                "expiry_date": D(2021, 2, 1),
            }
        )
