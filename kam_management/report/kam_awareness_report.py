from odoo import fields, models
from odoo.tools import SQL

from ..tools import xlsx


class KamAwarenessReport(models.Model):
    """Who has read and attended what: one row per employee and current
    read-and-acknowledge task (the effective major version of a document) and
    per invitation to a toolbox meeting that was held. The "who has not read
    what" report: filter on not done, group by employee, department or
    document; the pivot counts done and open per employee."""

    _name = "kam.awareness.report"
    _description = "KAM read and attendance status"
    _inherit = ["kam.register.mixin"]
    _auto = False
    _order = "employee_id, date_due desc, id"
    _rec_name = "subject"

    kind = fields.Selection(
        [("document", "Document to read"), ("toolbox", "Toolbox meeting")],
        string="What",
        readonly=True,
    )
    subject = fields.Char(readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    document_id = fields.Many2one("kam.document", readonly=True)
    version_id = fields.Many2one("kam.document.version", readonly=True)
    toolbox_id = fields.Many2one("kam.toolbox", string="Toolbox meeting", readonly=True)
    date_due = fields.Date(string="Read by or held on", readonly=True)
    done = fields.Boolean(string="Read or attended", readonly=True)
    date_done = fields.Datetime(string="Confirmed on", readonly=True)
    open_count = fields.Integer(string="Not yet", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT a.id * 2 AS id,
                   'document' AS kind,
                   d.code || ' ' || d.name AS subject,
                   a.employee_id,
                   v.department_id,
                   a.company_id,
                   a.document_id,
                   a.version_id,
                   NULL::integer AS toolbox_id,
                   a.date_deadline AS date_due,
                   a.state = 'done' AS done,
                   a.acknowledged_date AS date_done,
                   CASE WHEN a.state = 'done' THEN 0 ELSE 1 END AS open_count,
                   CASE WHEN a.state = 'done' THEN 1 ELSE 0 END AS done_count
              FROM kam_document_acknowledgement a
              JOIN kam_document d ON d.id = a.document_id
              JOIN hr_employee e ON e.id = a.employee_id
              LEFT JOIN hr_version v ON v.id = e.current_version_id
             WHERE a.is_current AND e.active AND d.active
            UNION ALL
            SELECT t.id * 2 + 1 AS id,
                   'toolbox' AS kind,
                   tb.name AS subject,
                   t.employee_id,
                   v.department_id,
                   t.company_id,
                   tb.document_id,
                   NULL::integer AS version_id,
                   t.toolbox_id,
                   tb.date::date AS date_due,
                   t.state IN ('attended', 'acknowledged') AS done,
                   t.date_done,
                   CASE WHEN t.state IN ('attended', 'acknowledged') THEN 0 ELSE 1 END,
                   CASE WHEN t.state IN ('attended', 'acknowledged') THEN 1 ELSE 0 END
              FROM kam_toolbox_attendee t
              JOIN kam_toolbox tb ON tb.id = t.toolbox_id
              JOIN hr_employee e ON e.id = t.employee_id
              LEFT JOIN hr_version v ON v.id = e.current_version_id
             WHERE tb.state = 'held' AND e.active
            """,
            to_flush=self._kam_flushed_fields(),
        )

    def _kam_flushed_fields(self):
        """The stored fields the query reads: pending changes are written first."""
        env = self.env
        names = {
            "kam.document.acknowledgement": (
                "employee_id",
                "company_id",
                "document_id",
                "version_id",
                "date_deadline",
                "state",
                "acknowledged_date",
                "is_current",
            ),
            "kam.document": ("code", "name", "active"),
            "kam.toolbox.attendee": (
                "employee_id",
                "company_id",
                "toolbox_id",
                "state",
                "date_done",
            ),
            "kam.toolbox": ("name", "document_id", "date", "state"),
            "hr.employee": ("active", "current_version_id"),
            "hr.version": ("department_id",),
        }
        return [env[model]._fields[name] for model, fields_ in names.items() for name in fields_]

    def _kam_awareness_register_columns(self):
        return [
            xlsx.many2one("employee_id", width=26),
            xlsx.many2one("department_id", width=20),
            xlsx.selection("kind", width=18),
            xlsx.char("subject", width=40),
            xlsx.many2one("version_id", width=18),
            xlsx.date("date_due"),
            xlsx.boolean("done"),
            xlsx.datetime("date_done"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "awareness",
                self.env._("Read and attendance status"),
                columns=self._kam_awareness_register_columns,
                order="employee_id, date_due desc, id",
                filename="read_and_attendance",
            ),
        ]
