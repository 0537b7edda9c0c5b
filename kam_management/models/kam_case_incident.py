from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.mail import plaintext2html

from ..tools import xlsx
from ..tools.activities import schedule_once
from ..tools.batches import assign_computed

# who may read injury and health details of incidents (README: privacy)
HEALTH_GROUPS = "kam_management.group_kam_officer,hr.group_hr_manager"

INCIDENT_KINDS = [
    ("injury", "Accident with injury"),
    ("near_miss", "Near miss"),
    ("unsafe", "Unsafe situation or act"),
    ("environmental", "Environmental incident"),
    ("damage", "Property damage"),
]
TREATMENTS = [
    ("none", "None"),
    ("first_aid", "First aid"),
    ("doctor", "Doctor (GP or company doctor)"),
    ("outpatient", "Hospital, outpatient (not admitted)"),
    ("hospital", "Hospital admission (also day admission)"),
]
OUTCOMES = [
    ("none", "No lasting effect"),
    ("recovered", "Recovered"),
    ("permanent", "Permanent injury"),
    ("death", "Death"),
]
# the inputs of the meldplicht (Arbowet art. 9): changing one re-evaluates it
NOTIFIABLE_FIELDS = ("treatment", "outcome", "case_type")


class KamCase(models.Model):
    """The incident part of a case: what happened to whom, where and when,
    the injury (health details restricted to officers and HR managers), the
    meldplicht of Arbowet art. 9 and the register of art. 9 lid 2."""

    _name = "kam.case"
    # hr.mixin: KAM users without HR rights may still link employees
    _inherit = ["kam.case", "hr.mixin"]

    incident_kind = fields.Selection(INCIDENT_KINDS, string="Kind of incident", tracking=True)
    incident_datetime = fields.Datetime(string="Date and time of the incident")
    location = fields.Char(help="Where it happened: site, hall, machine, address.")
    activity = fields.Char(string="Activity at the time")
    is_anonymous = fields.Boolean(
        string="Anonymous report",
        readonly=True,
        copy=False,
        help="Reported anonymously: the record keeps no name, e-mail or IP address.",
    )
    reporter_name = fields.Char(string="Reporter's name", copy=False)
    reporter_email = fields.Char(string="Reporter's e-mail", copy=False)
    # people
    employee_ids = fields.Many2many(
        "hr.employee",
        "kam_case_hr_employee_involved_rel",
        "case_id",
        "employee_id",
        string="Involved or injured employees",
    )
    department_manager_id = fields.Many2one(
        related="department_id.manager_id", string="Manager of the department", tracking=False
    )
    witness_ids = fields.Many2many(
        "hr.employee",
        "kam_case_hr_employee_witness_rel",
        "case_id",
        "employee_id",
        string="Witnesses",
    )
    witness_other = fields.Text(
        string="Other witnesses", help="Witnesses who are not employees: name and how to reach."
    )
    person_status = fields.Selection(
        [
            ("employee", "Employee"),
            ("temporary", "Temporary (agency) worker"),
            ("self_employed", "Self-employed under the company's authority"),
        ],
        string="Status of the injured person",
        default="employee",
    )
    # injury and health: restricted (field groups), never tracked in the chatter
    injury_type = fields.Selection(
        [
            ("cut", "Cut or puncture wound"),
            ("bruise", "Bruise or crush"),
            ("fracture", "Fracture"),
            ("sprain", "Sprain or strain"),
            ("burn", "Burn (heat or chemical)"),
            ("eye", "Eye injury"),
            ("amputation", "Amputation"),
            ("poisoning", "Poisoning or inhalation"),
            ("electric", "Electric shock"),
            ("psychological", "Psychological harm"),
            ("other", "Other"),
        ],
        string="Injury type",
        groups=HEALTH_GROUPS,
    )
    body_part = fields.Selection(
        [
            ("head", "Head"),
            ("eye", "Eye"),
            ("neck", "Neck"),
            ("back", "Back"),
            ("trunk", "Trunk"),
            ("arm", "Arm"),
            ("hand", "Hand or wrist"),
            ("finger", "Finger"),
            ("leg", "Leg"),
            ("foot", "Foot or ankle"),
            ("multiple", "Several body parts"),
            ("other", "Other"),
        ],
        string="Body part",
        groups=HEALTH_GROUPS,
    )
    treatment = fields.Selection(TREATMENTS, groups=HEALTH_GROUPS)
    outcome = fields.Selection(OUTCOMES, groups=HEALTH_GROUPS)
    absence_days = fields.Integer(string="Days of absence", groups=HEALTH_GROUPS)
    health_notes = fields.Text(string="Health notes", groups=HEALTH_GROUPS)
    # derived flags, visible to every reader of the incident (README: privacy)
    is_lost_time = fields.Boolean(
        precompute=True,
        string="Lost-time injury",
        compute="_compute_incident_flags",
        store=True,
        help="At least one day of absence.",
    )
    is_notifiable = fields.Boolean(
        precompute=True,
        string="Notifiable",
        compute="_compute_incident_flags",
        store=True,
        tracking=True,
        help="Arbowet art. 9: an accident at work causing death, permanent injury or a "
        "hospital admission must be reported to the Nederlandse Arbeidsinspectie at once.",
    )
    in_accident_register = fields.Boolean(
        precompute=True,
        string="In the accident register",
        compute="_compute_incident_flags",
        store=True,
        index=True,
        help="Arbowet art. 9 lid 2: notifiable accidents and accidents with more than three "
        "working days of absence.",
    )
    notifiable_since = fields.Datetime(string="Notifiable since", readonly=True, copy=False)
    # reporting to the authority and the certification body
    authority_reported_date = fields.Datetime(
        string="Reported to the Arbeidsinspectie on", tracking=True, copy=False
    )
    authority_channel = fields.Selection(
        [("online", "Online form"), ("phone", "Phone (0800-5151)")],
        string="Reported through",
        copy=False,
    )
    authority_reference = fields.Char(
        string="Arbeidsinspectie reference", tracking=True, copy=False
    )
    cb_informed_date = fields.Date(
        string="Certification body informed on", tracking=True, copy=False
    )
    cb_reference = fields.Char(string="Certification body reference", copy=False)
    # environment
    substance = fields.Char(help="The substance released: spill, emission, waste.")
    substance_quantity = fields.Float(string="Quantity", digits=(16, 3))
    substance_uom = fields.Char(string="Unit", help="l, kg, m³...")
    # the hazard of the RI&E this incident belongs to
    risk_id = fields.Many2one(
        "kam.risk", string="Hazard (RI&E)", index="btree_not_null", check_company=True
    )

    @api.depends("case_type", "treatment", "outcome", "absence_days")
    def _compute_incident_flags(self):
        def flags(case):
            incident = case.case_type == "incident"
            notifiable = incident and (
                case.treatment == "hospital" or case.outcome in ("permanent", "death")
            )
            return {
                "is_notifiable": notifiable,
                "is_lost_time": incident and case.absence_days >= 1,
                "in_accident_register": notifiable or (incident and case.absence_days > 3),
            }

        assign_computed(self, flags)

    @api.onchange("incident_datetime")
    def _onchange_incident_datetime(self):
        if self.incident_datetime:
            self.date_found = fields.Date.context_today(self, self.incident_datetime)

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("incident_datetime") and not vals.get("date_found"):
                moment = fields.Datetime.to_datetime(vals["incident_datetime"])
                vals["date_found"] = fields.Date.context_today(self, moment)
        cases = super().create(vals_list)
        cases.filtered("is_notifiable")._notify_notifiable()
        return cases

    def write(self, vals):
        watch = any(name in vals for name in NOTIFIABLE_FIELDS)
        already = self.filtered("is_notifiable") if watch else None
        res = super().write(vals)
        if watch:
            (self - already).filtered("is_notifiable")._notify_notifiable()
        return res

    # ------------------------------------------------------------------ meldplicht
    def _kam_officers(self, company):
        officers = self.env.ref("kam_management.group_kam_officer")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", officers.ids),
                    ("company_ids", "in", company.ids),
                    ("share", "=", False),
                    ("id", "!=", SUPERUSER_ID),
                ]
            )
        )

    def _notify_notifiable(self):
        """An incident just became notifiable (Arbowet art. 9): a prominent note
        to the company's KAM officers and one activity to report it. An incident
        entered afterwards with its report already recorded (history, an import)
        was notifiable since that report at the latest, and asks for nothing more."""
        if not self:
            return
        now = fields.Datetime.now()
        reported = self.filtered("authority_reported_date")
        for case in reported:
            case.sudo().notifiable_since = min(now, case.authority_reported_date)
        self = self - reported
        if not self:
            return
        self.sudo().write({"notifiable_since": now})
        activity_type = self.env.ref("kam_management.mail_activity_kam_notify_authority")
        officers_of = {company: self._kam_officers(company) for company in self.company_id}
        for case in self:
            officers = officers_of[case.company_id]
            system = case._kam_system_env()
            body = Markup("<p><strong>%s</strong></p><p>%s</p>") % (
                system._(
                    "Notifiable accident (Arbowet art. 9): report %(case)s to the Nederlandse "
                    "Arbeidsinspectie immediately.",
                    case=case.name,
                ),
                system._(
                    "Online form or phone 0800-5151 (fatal accidents by phone). Leave the scene "
                    "unchanged, record the date and reference of the report and inform the "
                    "certification body."
                ),
            )
            case.sudo().with_context(mail_notify_force_send=False).message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                partner_ids=officers.partner_id.ids,
            )

        def values_of(case):
            user = case.user_id or officers_of[case.company_id][:1]
            if not user:
                return None
            return {
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(case),
                "summary": lambda env: env._("Report to the Nederlandse Arbeidsinspectie"),
            }

        schedule_once(self, activity_type, values_of)

    def action_register_authority_report(self):
        """The report to the Arbeidsinspectie was made: done with the activity."""
        for case in self:
            if not case.authority_reported_date or not case.authority_reference:
                raise UserError(
                    self.env._(
                        "Incident %(case)s: record the date and the reference of the report to "
                        "the Arbeidsinspectie first.",
                        case=case.name,
                    )
                )
        self.activity_feedback(["kam_management.mail_activity_kam_notify_authority"])
        return True

    def action_open_risk(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.risk",
            "res_id": self.risk_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ safety pyramid
    # bottom to top: every accident rests on many near misses and unsafe situations
    PYRAMID_LEVELS = ("unsafe", "near_miss", "injury")
    PYRAMID_PERIODS = ("12_months", "this_year", "all")

    @api.model
    def kam_safety_pyramid(self, period="12_months"):
        """The levels of the safety pyramid for the user's companies, top first:
        kind, label, count (an integer) and the domain of its incidents; one
        grouped query. ``period``: the last 12 months, this year or all."""
        if period not in self.PYRAMID_PERIODS:
            raise UserError(self.env._("Unknown period for the safety pyramid."))
        domain = Domain("case_type", "=", "incident") & Domain(
            "incident_kind", "in", list(self.PYRAMID_LEVELS)
        )
        today = fields.Date.context_today(self)
        if period == "12_months":
            domain &= Domain("date_found", ">", today - relativedelta(months=12))
        elif period == "this_year":
            domain &= Domain("date_found", ">=", today.replace(month=1, day=1))
        counts = dict(self._read_group(domain, ["incident_kind"], ["__count"]))
        labels = dict(self._fields["incident_kind"]._description_selection(self.env))
        return [
            {
                "kind": kind,
                "label": labels[kind],
                "count": int(counts.get(kind, 0)),
                "domain": list(domain & Domain("incident_kind", "=", kind)),
            }
            for kind in reversed(self.PYRAMID_LEVELS)
        ]

    # ------------------------------------------------------------------ safe reporting
    @api.model
    def _kam_create_safe_report(self, values, anonymous, reporter=None):
        """Create an incident from a quick or public report, with elevated rights
        and minimal fields. An anonymous report is created by the superuser with
        no creation note, tracking or followers, so nothing points at the
        reporter (no name, e-mail, IP, author or creating user)."""
        vals = {
            "case_type": "incident",
            "source": "internal",
            "title": values["title"],
            "description": plaintext2html(values["description"])
            if values.get("description")
            else False,
            "location": values.get("location") or False,
            "incident_kind": values.get("incident_kind") or "unsafe",
            "incident_datetime": values.get("incident_datetime") or False,
            "company_id": values["company_id"],
            "is_anonymous": bool(anonymous),
            "reported_by_id": False,
        }
        if values.get("incident_datetime"):
            vals["date_found"] = fields.Date.context_today(self, values["incident_datetime"])
        if anonymous:
            Case = (
                self.env["kam.case"]
                .with_user(SUPERUSER_ID)
                .with_context(
                    tracking_disable=True,
                    mail_create_nolog=True,
                    mail_create_nosubscribe=True,
                    mail_notrack=True,
                )
            )
        else:
            Case = self.env["kam.case"].with_user(SUPERUSER_ID)
            if reporter:
                vals["reported_by_id"] = reporter.id
            vals["reporter_name"] = values.get("reporter_name") or False
            vals["reporter_email"] = values.get("reporter_email") or False
        case = Case.with_company(values["company_id"]).create(vals)
        # computed fields are written now, by the superuser: a later flush in the
        # reporter's environment would stamp their uid as write_uid
        case.env.flush_all()
        if reporter and not anonymous:
            case.message_subscribe(partner_ids=reporter.partner_id.ids)
        return case.with_env(self.env)

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_incident_register_columns(self):
        """Columns of the incident register (no health details)."""
        return [
            xlsx.char("name", width=16),
            xlsx.char("title", width=40),
            xlsx.selection("incident_kind", self.env._("Kind"), width=22),
            xlsx.datetime("incident_datetime", self.env._("Date and time")),
            xlsx.date("date_found"),
            xlsx.char("location", width=24),
            xlsx.many2one("department_id", width=24),
            xlsx.many2one("stage_id"),
            xlsx.boolean("is_lost_time"),
            xlsx.boolean("is_notifiable"),
        ]

    def _kam_accident_register_columns(self):
        """Arbowet art. 9 lid 2: the nature and date of each notifiable accident and
        of each accident with more than three working days of absence. Health
        details: reading them needs the rights of KAM officers (or HR managers)."""
        return [
            xlsx.char("name", width=16),
            xlsx.datetime("incident_datetime", self.env._("Date and time")),
            xlsx.date("date_found"),
            xlsx.char("title", self.env._("Nature"), width=40),
            xlsx.selection("incident_kind", self.env._("Kind"), width=22),
            xlsx.selection("injury_type", self.env._("Injury"), width=20),
            xlsx.selection("body_part", width=16),
            xlsx.many2many("employee_ids", self.env._("Injured"), width=28, sudo=True),
            xlsx.selection("person_status", width=22),
            xlsx.many2one("department_id", width=20),
            xlsx.selection("treatment", width=24),
            xlsx.selection("outcome", width=18),
            xlsx.integer("absence_days", width=12),
            xlsx.boolean("is_notifiable"),
            xlsx.datetime("authority_reported_date"),
            xlsx.selection("authority_channel", width=16),
            xlsx.char("authority_reference", width=20),
            xlsx.date("cb_informed_date", width=14),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "incident",
                self.env._("Incident register"),
                columns=self._kam_incident_register_columns,
                domain=[("case_type", "=", "incident")],
                order="date_found desc, id desc",
            ),
            xlsx.Register(
                "accident_register",
                self.env._("Accident register (Arbowet art. 9)"),
                columns=self._kam_accident_register_columns,
                domain=[("case_type", "=", "incident"), ("in_accident_register", "=", True)],
                order="date_found, id",
                filename="accident_register",
            ),
        ]
