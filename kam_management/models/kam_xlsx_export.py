import datetime
import io
import re

import psycopg2
import xlsxwriter

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.misc import format_datetime, get_lang

# records read per chunk: the ORM prefetches (and computes) fields chunk by chunk
BATCH_SIZE = 1000
# the first rows of a sheet: title, generated on, blank line, header
HEADER_ROW = 3
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# strftime directives of res.lang date/time formats and their Excel number format
STRFTIME_TO_EXCEL = {
    "%d": "dd",
    "%e": "d",
    "%m": "mm",
    "%Y": "yyyy",
    "%y": "yy",
    "%b": "mmm",
    "%B": "mmmm",
    "%a": "ddd",
    "%A": "dddd",
    "%H": "hh",
    "%I": "hh",
    "%M": "mm",
    "%S": "ss",
    "%p": "AM/PM",
    "%%": "%",
}
DEFAULT_WIDTHS = {"char": 30, "date": 12, "datetime": 18, "int": 10, "float": 12, "bool": 10}


def selection_labels(env, model, field_name):
    """{value: translated label} of a selection field."""
    return dict(env[model]._fields[field_name]._description_selection(env))


def _names(records):
    return ", ".join(records.mapped("display_name"))


def _name(record):
    """Display name of a many2one value, like the list view shows it: as superuser,
    as the visibility of the value depends on the access to the exported record."""
    return record.sudo().display_name if record else False


def case_columns(env):
    """Columns of the case registers (nonconformities, all cases...)."""
    case_types = selection_labels(env, "kam.case", "case_type")
    severities = selection_labels(env, "kam.case", "severity")
    sources = selection_labels(env, "kam.case", "source")
    causes = selection_labels(env, "kam.case", "root_cause_category")
    return [
        {"label": env._("Reference"), "value": lambda r: r.name, "type": "char", "width": 16},
        {"label": env._("Title"), "value": lambda r: r.title, "type": "char", "width": 40},
        {"label": env._("Date found"), "value": lambda r: r.date_found, "type": "date"},
        {"label": env._("Deadline"), "value": lambda r: r.deadline, "type": "date"},
        {"label": env._("Stage"), "value": lambda r: _name(r.stage_id), "type": "char"},
        {
            "label": env._("Type"),
            "value": lambda r: case_types.get(r.case_type),
            "type": "char",
            "width": 16,
        },
        {
            "label": env._("Severity"),
            "value": lambda r: severities.get(r.severity),
            "type": "char",
            "width": 12,
        },
        {
            "label": env._("Responsible"),
            "value": lambda r: _name(r.user_id),
            "type": "char",
            "width": 24,
        },
        {
            "label": env._("Department"),
            "value": lambda r: _name(r.department_id),
            "type": "char",
            "width": 24,
        },
        {"label": env._("KAM themes"), "value": lambda r: _names(r.theme_ids), "type": "char"},
        {
            "label": env._("Source"),
            "value": lambda r: sources.get(r.source),
            "type": "char",
            "width": 14,
        },
        {
            "label": env._("Root cause category"),
            "value": lambda r: causes.get(r.root_cause_category),
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Open actions"),
            "value": lambda r: r.open_action_count,
            "type": "int",
            "width": 13,
        },
        {"label": env._("Closed on"), "value": lambda r: r.closed_date, "type": "datetime"},
        {"label": env._("Overdue"), "value": lambda r: r.is_overdue, "type": "bool"},
    ]


def action_columns(env):
    kinds = selection_labels(env, "kam.action", "kind")
    states = selection_labels(env, "kam.action", "state")
    return [
        {"label": env._("Action"), "value": lambda r: r.name, "type": "char", "width": 40},
        {
            "label": env._("Kind"),
            "value": lambda r: kinds.get(r.kind),
            "type": "char",
            "width": 20,
        },
        # as superuser, like a many2one: an owner may not read the case of their action
        {"label": env._("Source"), "value": lambda r: r.sudo().source_name, "type": "char"},
        {
            "label": env._("Owner"),
            "value": lambda r: _name(r.user_id),
            "type": "char",
            "width": 24,
        },
        {"label": env._("Deadline"), "value": lambda r: r.deadline, "type": "date"},
        {
            "label": env._("Status"),
            "value": lambda r: states.get(r.state),
            "type": "char",
            "width": 18,
        },
        {"label": env._("Done on"), "value": lambda r: r.done_date, "type": "date"},
        {
            "label": env._("Check effectiveness on"),
            "value": lambda r: r.effectiveness_date,
            "type": "date",
            "width": 14,
        },
        {
            "label": env._("Verified by"),
            "value": lambda r: _name(r.verified_by_id),
            "type": "char",
            "width": 24,
        },
        {"label": env._("Verified on"), "value": lambda r: r.verified_date, "type": "date"},
        {"label": env._("Overdue"), "value": lambda r: r.is_overdue, "type": "bool"},
    ]


def _handling_days(case):
    """Calendar days from receipt (or finding) to closing; None while open."""
    start = case.date_received or case.date_found
    if not case.closed_date or not start:
        return None
    return (case.closed_date.date() - start).days


def complaint_columns(env):
    """Columns of the complaint register: the complaint, the customer, the
    assessment, the analysis and the follow-up."""
    channels = selection_labels(env, "kam.case", "channel")
    justifications = selection_labels(env, "kam.case", "justification")
    causes = selection_labels(env, "kam.case", "root_cause_category")
    satisfactions = selection_labels(env, "kam.case", "satisfaction")
    return [
        {"label": env._("Reference"), "value": lambda r: r.name, "type": "char", "width": 16},
        {"label": env._("Title"), "value": lambda r: r.title, "type": "char", "width": 40},
        {"label": env._("Received on"), "value": lambda r: r.date_received, "type": "date"},
        {
            "label": env._("Channel"),
            "value": lambda r: channels.get(r.channel),
            "type": "char",
            "width": 16,
        },
        {
            "label": env._("Category"),
            "value": lambda r: _name(r.complaint_category_id),
            "type": "char",
            "width": 22,
        },
        {"label": env._("Customer"), "value": lambda r: _name(r.partner_id), "type": "char"},
        {
            "label": env._("Contact"),
            "value": lambda r: _name(r.contact_id),
            "type": "char",
            "width": 24,
        },
        {
            "label": env._("Sale order"),
            "value": lambda r: _name(r.sale_order_id),
            "type": "char",
            "width": 14,
        },
        {"label": env._("Product"), "value": lambda r: _name(r.product_id), "type": "char"},
        {"label": env._("Claimed impact"), "value": lambda r: r.claimed_impact, "type": "char"},
        {
            "label": env._("Assessment"),
            "value": lambda r: justifications.get(r.justification),
            "type": "char",
            "width": 16,
        },
        {
            "label": env._("Reason of the assessment"),
            "value": lambda r: r.justification_reason,
            "type": "char",
        },
        {
            "label": env._("Answer expected by"),
            "value": lambda r: r.answer_deadline,
            "type": "date",
            "width": 14,
        },
        {
            "label": env._("Acknowledged on"),
            "value": lambda r: r.acknowledged_date,
            "type": "datetime",
        },
        {"label": env._("Stage"), "value": lambda r: _name(r.stage_id), "type": "char"},
        {
            "label": env._("Responsible"),
            "value": lambda r: _name(r.user_id),
            "type": "char",
            "width": 24,
        },
        {
            "label": env._("Root cause category"),
            "value": lambda r: causes.get(r.root_cause_category),
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Root causes"),
            "value": lambda r: ", ".join(r.cause_ids.filtered("is_root_cause").mapped("name")),
            "type": "char",
        },
        {
            "label": env._("Open actions"),
            "value": lambda r: r.open_action_count,
            "type": "int",
            "width": 13,
        },
        {"label": env._("Closed on"), "value": lambda r: r.closed_date, "type": "datetime"},
        {
            "label": env._("Handling time (days)"),
            "value": _handling_days,
            "type": "int",
            "width": 14,
        },
        {
            "label": env._("Customer satisfaction"),
            "value": lambda r: satisfactions.get(r.satisfaction),
            "type": "char",
            "width": 18,
        },
        {"label": env._("Overdue"), "value": lambda r: r.is_overdue, "type": "bool"},
    ]


def supplier_evaluation_columns(env):
    """Columns of the supplier evaluation register: one score column per criterion."""
    states = selection_labels(env, "kam.supplier.evaluation", "state")
    classes = selection_labels(env, "kam.supplier.evaluation", "supplier_class")
    criteria = env["kam.supplier.criterion"].with_context(active_test=False).search([])

    def score_of(criterion):
        def value(record):
            for line in record.line_ids:
                if line.criterion_id == criterion and line.is_scored:
                    return line.score
            return None

        return value

    return (
        [
            {
                "label": env._("Supplier"),
                "value": lambda r: _name(r.partner_id),
                "type": "char",
                "width": 30,
            },
            {"label": env._("Period from"), "value": lambda r: r.date_start, "type": "date"},
            {"label": env._("Period to"), "value": lambda r: r.date_end, "type": "date"},
            {
                "label": env._("Evaluator"),
                "value": lambda r: _name(r.user_id),
                "type": "char",
                "width": 24,
            },
            {
                "label": env._("Status"),
                "value": lambda r: states.get(r.state),
                "type": "char",
                "width": 14,
            },
            {"label": env._("Score"), "value": lambda r: r.total_score, "type": "float"},
            {
                "label": env._("Class"),
                "value": lambda r: classes.get(r.supplier_class),
                "type": "char",
                "width": 8,
            },
            {"label": env._("Receipts"), "value": lambda r: r.receipt_count, "type": "int"},
            {
                "label": env._("Receipts on time"),
                "value": lambda r: r.receipt_on_time_count,
                "type": "int",
            },
            {
                "label": env._("On-time delivery (%)"),
                "value": lambda r: r.on_time_rate,
                "type": "float",
            },
            {
                "label": env._("Quantity received"),
                "value": lambda r: r.received_qty,
                "type": "float",
            },
            {
                "label": env._("Quantity returned"),
                "value": lambda r: r.returned_qty,
                "type": "float",
            },
            {"label": env._("Return rate (%)"), "value": lambda r: r.return_rate, "type": "float"},
            {
                "label": env._("Supplier nonconformities"),
                "value": lambda r: r.nc_count,
                "type": "int",
                "width": 14,
            },
        ]
        + [
            {
                "label": env._("Score: %(criterion)s", criterion=criterion.name),
                "value": score_of(criterion),
                "type": "float",
                "width": 14,
            }
            for criterion in criteria
        ]
        + [
            {
                "label": env._("Approved by"),
                "value": lambda r: _name(r.approved_by_id),
                "type": "char",
                "width": 24,
            },
            {"label": env._("Approved on"), "value": lambda r: r.approved_date, "type": "date"},
        ]
    )


def incident_columns(env):
    """Columns of the incident register (no health details)."""
    kinds = selection_labels(env, "kam.case", "incident_kind")
    return [
        {"label": env._("Reference"), "value": lambda r: r.name, "type": "char", "width": 16},
        {"label": env._("Title"), "value": lambda r: r.title, "type": "char", "width": 40},
        {
            "label": env._("Kind"),
            "value": lambda r: kinds.get(r.incident_kind),
            "type": "char",
            "width": 22,
        },
        {
            "label": env._("Date and time"),
            "value": lambda r: r.incident_datetime,
            "type": "datetime",
        },
        {"label": env._("Date found"), "value": lambda r: r.date_found, "type": "date"},
        {"label": env._("Location"), "value": lambda r: r.location, "type": "char", "width": 24},
        {
            "label": env._("Department"),
            "value": lambda r: _name(r.department_id),
            "type": "char",
            "width": 24,
        },
        {"label": env._("Stage"), "value": lambda r: _name(r.stage_id), "type": "char"},
        {"label": env._("Lost-time injury"), "value": lambda r: r.is_lost_time, "type": "bool"},
        {"label": env._("Notifiable"), "value": lambda r: r.is_notifiable, "type": "bool"},
    ]


def accident_register_columns(env):
    """Arbowet art. 9 lid 2: the nature and date of each notifiable accident and
    of each accident with more than three working days of absence. Health
    details: reading them needs the rights of KAM officers (or HR managers)."""
    kinds = selection_labels(env, "kam.case", "incident_kind")
    injuries = selection_labels(env, "kam.case", "injury_type")
    body_parts = selection_labels(env, "kam.case", "body_part")
    statuses = selection_labels(env, "kam.case", "person_status")
    treatments = selection_labels(env, "kam.case", "treatment")
    outcomes = selection_labels(env, "kam.case", "outcome")
    channels = selection_labels(env, "kam.case", "authority_channel")
    return [
        {"label": env._("Reference"), "value": lambda r: r.name, "type": "char", "width": 16},
        {
            "label": env._("Date and time"),
            "value": lambda r: r.incident_datetime,
            "type": "datetime",
        },
        {"label": env._("Date found"), "value": lambda r: r.date_found, "type": "date"},
        {"label": env._("Nature"), "value": lambda r: r.title, "type": "char", "width": 40},
        {
            "label": env._("Kind"),
            "value": lambda r: kinds.get(r.incident_kind),
            "type": "char",
            "width": 22,
        },
        {
            "label": env._("Injury"),
            "value": lambda r: injuries.get(r.injury_type),
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Body part"),
            "value": lambda r: body_parts.get(r.body_part),
            "type": "char",
            "width": 16,
        },
        {
            "label": env._("Injured"),
            "value": lambda r: _names(r.employee_ids.sudo()),
            "type": "char",
            "width": 28,
        },
        {
            "label": env._("Status of the injured person"),
            "value": lambda r: statuses.get(r.person_status),
            "type": "char",
            "width": 22,
        },
        {
            "label": env._("Department"),
            "value": lambda r: _name(r.department_id),
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Treatment"),
            "value": lambda r: treatments.get(r.treatment),
            "type": "char",
            "width": 24,
        },
        {
            "label": env._("Outcome"),
            "value": lambda r: outcomes.get(r.outcome),
            "type": "char",
            "width": 18,
        },
        {
            "label": env._("Days of absence"),
            "value": lambda r: r.absence_days,
            "type": "int",
            "width": 12,
        },
        {"label": env._("Notifiable"), "value": lambda r: r.is_notifiable, "type": "bool"},
        {
            "label": env._("Reported to the Arbeidsinspectie on"),
            "value": lambda r: r.authority_reported_date,
            "type": "datetime",
        },
        {
            "label": env._("Reported through"),
            "value": lambda r: channels.get(r.authority_channel),
            "type": "char",
            "width": 16,
        },
        {
            "label": env._("Arbeidsinspectie reference"),
            "value": lambda r: r.authority_reference,
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Certification body informed on"),
            "value": lambda r: r.cb_informed_date,
            "type": "date",
            "width": 14,
        },
    ]


def action_plan_columns(env):
    """The plan van aanpak of the RI&E: the hazard, then its measure as in the
    action list (the hazard is the source; the priority follows the kind)."""
    priorities = selection_labels(env, "kam.action", "priority")
    hazard = [
        {
            "label": env._("Hazard"),
            "value": lambda r: r.risk_id.sudo().name,
            "type": "char",
            "width": 34,
        },
        {
            "label": env._("Department"),
            "value": lambda r: _name(r.risk_id.sudo().department_id),
            "type": "char",
            "width": 20,
        },
        {
            "label": env._("Risk score (R)"),
            "value": lambda r: r.risk_id.sudo().score,
            "type": "float",
            "width": 12,
        },
        {
            "label": env._("Risk class"),
            "value": lambda r: _name(r.risk_id.sudo().class_id),
            "type": "char",
            "width": 20,
        },
    ]
    measures = action_columns(env)
    source = env._("Source")
    measures = [dict(measures[0], label=env._("Measure"))] + [
        column for column in measures[1:] if column["label"] != source
    ]
    measures.insert(
        2,
        {
            "label": env._("Priority"),
            "value": lambda r: priorities.get(r.priority),
            "type": "char",
            "width": 10,
        },
    )
    return hazard + measures


def _excel_format(strftime_format):
    """Excel number format of a strftime format (res.lang), None if not convertible."""
    parts = re.split(r"(%.)", strftime_format or "")
    result = []
    for part in parts:
        if part.startswith("%") and len(part) == 2:
            if part not in STRFTIME_TO_EXCEL:
                return None
            result.append(STRFTIME_TO_EXCEL[part])
        elif re.fullmatch(r"[\s/.,:-]*", part):
            result.append(part)
        else:
            result.append(f'"{part}"')
    return "".join(result) or None


class KamXlsxExport(models.AbstractModel):
    """One Excel export for every register (nonconformities, actions, complaints...).

    A register is a model, a base domain, an order and columns; the web client
    adds the filters of the current list view. Records are searched as the
    current user, so record rules apply."""

    _name = "kam.xlsx.export"
    _description = "KAM XLSX export"

    # ------------------------------------------------------------------ registers
    def _xlsx_registers(self):
        """name -> register; other modules add their registers by extending this."""
        return {
            "nonconformity": {
                "model": "kam.case",
                "title": self.env._("Nonconformity register"),
                "domain": [("case_type", "=", "nonconformity")],
                "columns": case_columns,
                "order": "date_found desc, id desc",
            },
            "case": {
                "model": "kam.case",
                "title": self.env._("Case register"),
                "domain": [],
                "columns": case_columns,
                "order": "date_found desc, id desc",
            },
            "complaint": {
                "model": "kam.case",
                "title": self.env._("Complaint register"),
                "domain": [("case_type", "=", "complaint")],
                "columns": complaint_columns,
                "order": "date_received desc, id desc",
            },
            "action": {
                "model": "kam.action",
                "title": self.env._("Action list"),
                "domain": [],
                "columns": action_columns,
                "order": "deadline, id",
            },
            "incident": {
                "model": "kam.case",
                "title": self.env._("Incident register"),
                "domain": [("case_type", "=", "incident")],
                "columns": incident_columns,
                "order": "date_found desc, id desc",
            },
            "accident_register": {
                "model": "kam.case",
                "title": self.env._("Accident register (Arbowet art. 9)"),
                "domain": [("case_type", "=", "incident"), ("in_accident_register", "=", True)],
                "columns": accident_register_columns,
                "order": "date_found, id",
                "filename": "accident_register",
            },
            "action_plan": {
                "model": "kam.action",
                "title": self.env._("Plan van aanpak (RI&E)"),
                "domain": [("risk_id", "!=", False)],
                "columns": action_plan_columns,
                "order": "priority desc, deadline, id",
                "filename": "plan_van_aanpak",
            },
            "supplier_evaluation": {
                "model": "kam.supplier.evaluation",
                "title": self.env._("Supplier evaluations"),
                "domain": [],
                "columns": supplier_evaluation_columns,
                "order": "date_end desc, id desc",
                "filename": "supplier_evaluations",
            },
        }

    # ------------------------------------------------------------------ export
    def _xlsx_export(self, register, domain=None, model=None):
        """Search the register's records as the current user and build the workbook.

        :param domain: the filters of the list view (a domain on the register's model)
        :param model: the model of the list view, when known: the domain is on that model
        :return: (filename, xlsx file content)
        """
        spec = self._xlsx_registers().get(register)
        if not spec:
            raise UserError(self.env._("There is no register %(register)s.", register=register))
        if model and model != spec["model"]:
            raise UserError(
                self.env._(
                    "The register %(register)s cannot export the records of this list.",
                    register=register,
                )
            )
        Model = self.env[spec["model"]]
        try:
            filters = Domain(domain or [])
            filters.validate(Model)
        except (ValueError, TypeError, KeyError, IndexError) as error:
            raise UserError(
                self.env._("The filter of the export is not valid: %(error)s", error=error)
            ) from error
        try:
            with self.env.cr.savepoint(flush=False):
                records = Model.search(
                    Domain.AND([spec["domain"], filters]), order=spec.get("order")
                )
        except psycopg2.DataError as error:
            # a value the database cannot cast (("id", "in", ["x"])...)
            raise UserError(
                self.env._("The filter of the export is not valid: %(error)s", error=error.pgerror)
            ) from error
        content = self._xlsx_build(spec["title"], spec["columns"](self.env), records)
        today = fields.Date.context_today(self)
        filename = f"{spec.get('filename', register + '_register')}_{today.isoformat()}.xlsx"
        return filename, content

    def _xlsx_sheet_name(self, title):
        name = SHEET_NAME_FORBIDDEN.sub("", title or "")[:31].strip().strip("'")
        return name or "Sheet1"

    def _xlsx_number_formats(self):
        lang = get_lang(self.env)
        date_format = _excel_format(lang.date_format) or "yyyy-mm-dd"
        time_format = _excel_format(lang.time_format) or "hh:mm"
        return date_format, f"{date_format} {time_format}"

    def _xlsx_build(self, title, columns, records):
        """Workbook with one sheet: title, generated-on line, header and one row a record.

        Dates are real Excel dates, the header row is frozen and filterable.
        ``columns``: list of {"label", "value": callable(record), "type", "width"}.
        """
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "remove_timezone": True})
        sheet = workbook.add_worksheet(self._xlsx_sheet_name(title))
        date_format, datetime_format = self._xlsx_number_formats()
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True, "font_color": "#666666"}),
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "date": workbook.add_format({"num_format": date_format, "align": "left"}),
            "datetime": workbook.add_format({"num_format": datetime_format, "align": "left"}),
            "float": workbook.add_format({"num_format": "#,##0.00"}),
        }
        yes, no = self.env._("Yes"), self.env._("No")
        tz = self.env.tz

        sheet.write_string(0, 0, title, styles["title"])
        sheet.set_row(0, 20)
        sheet.write_string(
            1,
            0,
            self.env._(
                "Generated on %(date)s by %(user)s, %(company)s: %(count)s records",
                date=format_datetime(self.env, fields.Datetime.now()),
                user=self.env.user.name,
                company=self.env.company.name,
                count=len(records),
            ),
            styles["subtitle"],
        )
        for col, column in enumerate(columns):
            sheet.write_string(HEADER_ROW, col, column["label"], styles["header"])
            width = column.get("width") or DEFAULT_WIDTHS.get(column.get("type"), 20)
            sheet.set_column(col, col, width)

        row = HEADER_ROW
        for start in range(0, len(records), BATCH_SIZE):
            # prefetch (and compute) each field once per chunk, not per record
            chunk = records[start : start + BATCH_SIZE].with_prefetch()
            for record in chunk:
                row += 1
                for col, column in enumerate(columns):
                    value = column["value"](record)
                    kind = column.get("type", "char")
                    if kind == "bool":
                        sheet.write_string(row, col, yes if value else no)
                        continue
                    if value is None or value is False or value == "":
                        continue
                    if kind == "date":
                        if not isinstance(value, datetime.datetime):
                            value = datetime.datetime.combine(value, datetime.time())
                        sheet.write_datetime(row, col, value, styles["date"])
                    elif kind == "datetime":
                        # stored in UTC: show the user's local time
                        value = value.replace(tzinfo=datetime.timezone.utc).astimezone(tz)
                        sheet.write_datetime(row, col, value.replace(tzinfo=None), styles[kind])
                    elif kind in ("int", "float"):
                        sheet.write_number(row, col, value, styles.get(kind))
                    else:
                        sheet.write_string(row, col, str(value))

        if columns:
            sheet.freeze_panes(HEADER_ROW + 1, 0)
            sheet.autofilter(HEADER_ROW, 0, row, len(columns) - 1)
        sheet.set_landscape()
        sheet.repeat_rows(HEADER_ROW)
        sheet.fit_to_pages(1, 0)
        workbook.close()
        return output.getvalue()
