"""Take README screenshots of a running Odoo with headless Chromium (CDP), at
1440 x 900, in Dutch (the demo users' language).

Usage: .venv/bin/python scripts/dev/screenshots.py [BASE_URL] [OUT_DIR] [NAME_PREFIX]
Logs in as each user of SHOTS (those whose file name starts with NAME_PREFIX),
opens the page and saves a PNG; PDF reports are saved as the PNG of their first
page (poppler's pdftoppm). Uses Debian's chromium and websocket-client; no other
browser tooling.
"""

import base64
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069"
OUT = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
ONLY = sys.argv[3] if len(sys.argv) > 3 else ""

# a record id looked up through the session: model, domain
LOOKUPS = {
    "clause": (
        "kam.standard.clause",
        [["number", "=", "10.2"], ["standard_id.name", "=", "ISO 9001"]],
    ),
    "case": (
        "kam.case",
        [["title", "ilike", "montagebeugels"], ["case_type", "=", "nonconformity"]],
    ),
    "complaint": ("kam.case", [["title", "ilike", "krassen"]]),
    "closed_complaint": ("kam.case", [["title", "ilike", "coating bladdert"]]),
    "evaluation": ("kam.supplier.evaluation", [["partner_id.name", "ilike", "Poedercoat"]]),
    "supplier": ("res.partner", [["name", "=", "Poedercoat Gelderland B.V."]]),
    "incident": ("kam.case", [["title", "ilike", "kantbank KB-3"], ["case_type", "=", "incident"]]),
    "order": ("sale.order", [["state", "=", "sale"], ["partner_id.name", "ilike", "Staalbouw"]]),
    "purchase": ("purchase.order", [["partner_id.name", "ilike", "Poedercoat"]]),
    "complaint_type": ("kam.case.type", [["code", "=", "complaint"]]),
    "closed_case": ("kam.case", [["is_closed", "=", True], ["case_type", "=", "nonconformity"]]),
    # audits and certification
    "audit": ("kam.audit", [["title", "=", "Inkoop en leveranciersbeoordeling"]]),
    "programme": ("kam.audit.programme", [["name", "=", "Auditprogramma interne audits"]]),
    "certificate": ("kam.certificate", [["name", "=", "CQ-9001-24-0815"]]),
    # registers
    "requirement": ("kam.requirement", [["short_name", "=", "Arbowet"]]),
    "compliance_evaluation": ("kam.requirement.evaluation", [["result", "=", "not_compliant"]]),
    "aspect": ("kam.aspect", [["name", "ilike", "lasrook"]]),
    "party": ("kam.interested.party", [["name", "ilike", "Klanten in de bouw"]]),
    "risk_opportunity": ("kam.risk.opportunity", [["name", "ilike", "kantbankoperators"]]),
    # customer satisfaction, editions, the compliance monitor, the helpdesk bridge
    "campaign": ("kam.satisfaction.campaign", [["state", "=", "closed"]]),
    "detractor": ("survey.user_input", [["kam_nps_class", "=", "detractor"]]),
    "transition": ("kam.standard.transition", []),
    "iso14001_2026": ("kam.standard", [["name", "=", "ISO 14001"], ["edition", "=", "2026"]]),
    "ticket": ("helpdesk.ticket", [["kam_case_id", "!=", False]]),
    # (model, domain, field): the value of a field instead of the id
    "survey_token": (
        "survey.user_input",
        [["kam_campaign_id", "!=", False], ["state", "!=", "done"]],
        "access_token",
    ),
    "survey_path": ("survey.survey", [["survey_type", "=", "kam_satisfaction"]], "access_token"),
    # documented information and awareness
    "document": ("kam.document", [["code", "=", "WI-12"]]),
    "manual": ("kam.document", [["code", "=", "KH-01"]]),
    "version_in_review": ("kam.document.version", [["state", "=", "review"]]),
    "my_task": ("kam.document.acknowledgement", [["document_id.code", "=", "WI-12"]]),
    "toolbox": ("kam.toolbox", [["name", "ilike", "lasrookafzuiging"]]),
    "advice": ("kam.advice", [["name", "ilike", "heftruck"]]),
    # leadership
    "objective": ("kam.objective", [["name", "=", "Energieverbruik per ton product 10% omlaag"]]),
    "indicator": ("kam.indicator", [["name", "=", "Energie per ton product"]]),
    "ready_indicator": ("kam.indicator", [["code", "=", "KPI-K1"]]),
    "review": ("kam.review", [["state", "=", "prepared"]]),
    "review_approved": ("kam.review", [["state", "=", "approved"]]),
}
# pages the customer sees (opened without a session once the lookups are done)
AS_CUSTOMER = {"satisfaction_survey_nl.png"}
# tab to open before the screenshot (regular expression on the tab label)
TABS = {
    "satisfaction_campaign": "Results|Resultaten",
    "supplier_partner": "Supplier evaluation|Leveranciersbeoordeling",
    "incident_form": "Incident",
    "audit_form": "Checklist",
    "audit_programme": "Lines|Regels",
    "audit_certificate": "External audits|Externe audits",
    "objective_form": "Check",
    "ready_indicator": "Computation|Berekening",
    "review_form": "Input",
}
# element to scroll into view before the screenshot
SCROLL = {
    "indicator_form": ".o_kam_svg svg",
}
# a button to click before the screenshot (css selector), e.g. to open a dialog
CLICKS = {
    "complaint_register": ".o_form_statusbar button[name='action_kam_register_complaint']",
    # the customer opens a closed complaint from the list
    "portal_complaint": "tr:has(.text-bg-success) a",
}
# PDFs: saved as the PNG of their first page (pdftoppm)
PDFS = {
    "complaint_report_nl.png",
    "supplier_letter_nl.png",
    "case_report_nl.png",
    "audit_report_nl.png",
    "document_controlled_copy_nl.png",
}

# (file name, login, password, path, css selector that must be on the page)
SHOTS = [
    (
        "cases_kanban_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_nonconformity",
        ".o_kanban_record",
    ),
    (
        "case_analysis_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_nonconformity/{case}",
        ".o_kam_ishikawa svg",
    ),
    (
        "actions_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_action_action",
        ".o_data_row",
    ),
    (
        "complaint_register_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-sale.action_orders/{order}",
        ".modal .o_form_view",
    ),
    (
        "complaints_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_complaint?view_type=list",
        ".o_data_row",
    ),
    (
        "complaint_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_complaint/{complaint}",
        ".o_form_view",
    ),
    (
        "complaint_figures_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_complaint_report_action",
        ".o_data_row",
    ),
    (
        "complaint_analysis_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_complaint_analysis",
        ".o_graph_renderer canvas",
    ),
    (
        "complaint_report_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/report/pdf/kam_management.report_kam_complaint/{closed_complaint}",
        None,
    ),
    (
        "portal_complaint_nl.png",
        "klant",
        "klant",
        "/my/complaints",
        ".o_kam_complaint_outcome",
    ),
    # registers: legal requirements, environmental aspects, context, risks and opportunities
    *(
        (f"registers_{name}_{lang}.png", login, login if login != "admin" else "admin", path, ready)
        for name, path, ready in (
            ("requirements", "/odoo/action-kam_management.kam_requirement_action", ".o_data_row"),
            (
                "requirement",
                "/odoo/action-kam_management.kam_requirement_action/{requirement}",
                ".o_form_view .o_notebook",
            ),
            (
                "evaluation",
                "/odoo/action-kam_management.kam_requirement_evaluation_action/"
                "{compliance_evaluation}",
                ".o_form_view .o_notebook",
            ),
            ("aspects", "/odoo/action-kam_management.kam_aspect_action", ".o_data_row"),
            (
                "aspect",
                "/odoo/action-kam_management.kam_aspect_action/{aspect}",
                ".o_form_view .o_notebook",
            ),
            ("context", "/odoo/action-kam_management.kam_context_issue_action", ".o_data_row"),
            (
                "party",
                "/odoo/action-kam_management.kam_interested_party_action/{party}",
                ".o_form_view .o_notebook",
            ),
            (
                "risks",
                "/odoo/action-kam_management.kam_risk_opportunity_action",
                ".o_data_row",
            ),
            (
                "risk",
                "/odoo/action-kam_management.kam_risk_opportunity_action/{risk_opportunity}",
                ".o_form_view .o_notebook",
            ),
        )
        for lang, login in (("nl", "kamcoordinator"), ("en", "admin"))
    ),
    # the public form: no login (None)
    ("public_complaint_form_nl.png", None, None, "/nl/kam/complaint", "form"),
    (
        "incident_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_incident/{incident}",
        ".o_form_view .o_notebook",
    ),
    (
        "incidents_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_incident?view_type=list",
        ".o_data_row",
    ),
    (
        "accident_register_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_accident_register",
        ".o_data_row",
    ),
    (
        "safety_pyramid_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_safety_pyramid_action",
        ".o_kam_pyramid_level",
    ),
    (
        "case_report_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/report/pdf/kam_management.report_kam_case/{case}",
        None,
    ),
    (
        "rie_list_nl.png",
        "medewerker",
        "medewerker",
        "/odoo/action-kam_management.kam_risk_action",
        ".o_data_row",
    ),
    (
        "supplier_evaluation_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_supplier_evaluation_action/{evaluation}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "supplier_letter_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/report/pdf/kam_management.report_kam_supplier_letter/{evaluation}",
        None,
    ),
    (
        "supplier_partner_nl.png",
        "inkoper",
        "inkoper",
        "/odoo/action-base.action_partner_form/{supplier}",
        ".o_form_view .o_field_one2many",
    ),
    (
        "purchase_order_blocked_nl.png",
        "inkoper",
        "inkoper",
        "/odoo/action-purchase.purchase_form_action/{purchase}",
        ".o_form_view [name='kam_supplier_blocked']",
    ),
    (
        "kam_settings_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_settings_action_server",
        ".o_form_view [name='kam_risk_method_id']",
    ),
    (
        "clause_form_nl.png",
        "medewerker",
        "medewerker",
        "/odoo/action-kam_management.kam_standard_clause_action/{clause}",
        ".o_form_view",
    ),
    (
        "standards_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_standard_action",
        ".o_data_row",
    ),
    (
        "case_types_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_case_type_action",
        ".o_data_row",
    ),
    (
        "closed_case_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_case_action_all/{closed_case}",
        ".o_form_view .o_statusbar_buttons",
    ),
    # audits and certification
    (
        "audit_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_audit_action/{audit}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "audit_programme_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_audit_programme_action/{programme}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "audit_calendar_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_audit_action_calendar",
        ".o_calendar_renderer",
    ),
    (
        "audit_coverage_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_audit_coverage_action",
        ".o_pivot",
    ),
    (
        "audit_certificate_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_certificate_action/{certificate}",
        ".o_form_view .o_field_one2many",
    ),
    (
        "audit_report_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/report/pdf/kam_management.report_kam_audit/{audit}",
        None,
    ),
    # customer satisfaction, editions and the compliance monitor (issue 13)
    (
        "satisfaction_campaign_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_satisfaction_campaign_action/{campaign}",
        ".o_form_view .o_notebook",
    ),
    (
        "satisfaction_campaign_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_satisfaction_campaign_action/{campaign}",
        ".o_form_view .o_notebook",
    ),
    (
        "satisfaction_figures_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_satisfaction_report_action?view_type=pivot",
        ".o_pivot table",
    ),
    (
        "satisfaction_trend_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_satisfaction_report_action",
        ".o_graph_renderer canvas",
    ),
    (
        "satisfaction_answer_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_satisfaction_answer_action/{detractor}",
        ".o_form_view .o_field_one2many",
    ),
    (
        "satisfaction_survey_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/survey/start/{survey_path}?answer_token={survey_token}",
        ".o_survey_form_content button, .o_survey_form_content .o_survey_question",
    ),
    (
        "compliance_monitor_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_compliance_monitor_action",
        ".o_kam_monitor_table tbody tr",
    ),
    (
        "compliance_monitor_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_compliance_monitor_action",
        ".o_kam_monitor_table tbody tr",
    ),
    (
        "transition_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_standard_transition_action/{transition}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "edition_2026_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_standard_action/{iso14001_2026}",
        ".o_form_view .o_data_row",
    ),
    # the helpdesk bridge (a database with helpdesk_mgmt installed)
    (
        "helpdesk_ticket_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{ticket}",
        ".o_form_view button[name='action_kam_open_complaint']",
    ),
    # documented information and awareness
    (
        "document_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_document_action/{document}",
        ".o_form_view .o_notebook",
    ),
    (
        "document_form_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_document_action/{manual}",
        ".o_form_view .o_notebook",
    ),
    (
        "documents_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_document_action",
        ".o_data_row",
    ),
    (
        "my_documents_nl.png",
        "medewerker",
        "medewerker",
        "/odoo/action-kam_management.kam_document_action_my",
        ".o_kanban_record",
    ),
    (
        "document_to_read_nl.png",
        "medewerker",
        "medewerker",
        "/odoo/action-kam_management.kam_document_acknowledgement_action_my/{my_task}",
        ".o_form_view",
    ),
    (
        "document_version_review_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_document_version_action_todo/{version_in_review}",
        ".o_form_view",
    ),
    (
        "awareness_report_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_awareness_report_action",
        ".o_group_header",
    ),
    (
        "awareness_pivot_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_awareness_report_action?view_type=pivot",
        ".o_pivot",
    ),
    (
        "toolbox_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_toolbox_action/{toolbox}",
        ".o_form_view .o_field_one2many .o_data_row",
    ),
    (
        "advice_form_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_advice_action/{advice}",
        ".o_form_view",
    ),
    (
        "advice_register_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_advice_action",
        ".o_data_row",
    ),
    ("portal_documents_nl.png", "klant", "klant", "/nl/my/documents", ".o_portal_my_doc_table"),
    (
        "document_controlled_copy_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/report/pdf/kam_management.report_kam_document_controlled/{document}",
        None,
    ),
    # leadership: dashboard, objectives and indicators, management review, policy
    (
        "leadership_dashboard_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_dashboard_action",
        ".o_spreadsheet_dashboard_action .o-grid canvas",
    ),
    (
        "leadership_dashboard_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_dashboard_action",
        ".o_spreadsheet_dashboard_action .o-grid canvas",
    ),
    (
        "objectives_nl.png",
        "directeur",
        "directeur",
        "/odoo/action-kam_management.kam_objective_action",
        ".o_data_row",
    ),
    (
        "objective_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_objective_action/{objective}",
        ".o_form_view .o_notebook",
    ),
    (
        "indicator_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_indicator_action/{indicator}",
        ".o_kam_svg svg",
    ),
    (
        "ready_indicator_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_indicator_action/{ready_indicator}",
        ".o_form_view .o_notebook",
    ),
    (
        "review_form_nl.png",
        "kamcoordinator",
        "kamcoordinator",
        "/odoo/action-kam_management.kam_review_action/{review}",
        ".o_form_view .o_notebook",
    ),
    (
        "review_approved_en.png",
        "admin",
        "admin",
        "/odoo/action-kam_management.kam_review_action/{review_approved}",
        ".o_form_view .o_notebook",
    ),
    (
        "policy_page_nl.png",
        None,
        None,
        "/kam/policy/1",
        ".o_kam_policy_page",
    ),
]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="kam-shots-")
        # a free debugging port: other sessions may run their own Chromium
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1440,900",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2) as r:
                    page = next(t for t in json.load(r) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.seq = 0

    def cmd(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.seq:
                return msg.get("result", {})

    def js(self, expr):
        res = self.cmd("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        return res.get("result", {}).get("value")

    def goto(self, url):
        self.cmd("Page.navigate", url=url)
        self.wait("document.readyState === 'complete'")

    def wait(self, expr, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(expr):
                return True
            time.sleep(0.3)
        raise TimeoutError(expr)

    def login(self, login, password):
        self.cmd("Network.clearBrowserCookies")
        # Odoo 19 remembers earlier logins ("Choose a user"): start from a clean site
        self.cmd("Storage.clearDataForOrigin", origin=BASE, storageTypes="all")
        self.goto(f"{BASE}/web/login")
        self.js(
            f"document.querySelector('input[name=login]').value = {json.dumps(login)};"
            f"document.querySelector('input[name=password]').value = {json.dumps(password)};"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(2)
        self.wait("document.readyState === 'complete'")

    def logout(self):
        self.cmd("Network.clearBrowserCookies")
        self.cmd("Storage.clearDataForOrigin", origin=BASE, storageTypes="all")

    def first_id(self, model, domain, field="id"):
        """``field`` (the id) of the first record of ``model`` matching ``domain``, as the
        logged-in user."""
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": "search_read",
                    "args": [domain, [field]],
                    "kwargs": {"limit": 1},
                },
            }
        )
        return self.js(
            "fetch('/web/dataset/call_kw', {method: 'POST', headers: {'Content-Type': "
            f"'application/json'}}, body: {json.dumps(body)}}})"
            f".then(r => r.json()).then(r => r.result[0][{json.dumps(field)}])"
        )

    def save_pdf_page(self, url, path):
        """The first page of the PDF at ``url`` (with the session) as a PNG."""
        cookies = self.cmd("Network.getCookies", urls=[url])["cookies"]
        header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
        request = urllib.request.Request(url, headers={"Cookie": header})
        with urllib.request.urlopen(request, timeout=300) as response:
            pdf = response.read()
        with tempfile.TemporaryDirectory() as tmp:
            source = pathlib.Path(tmp, "page.pdf")
            source.write_bytes(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(pathlib.Path(tmp, "page")),
                ],
                check=True,
            )
            shutil.copy(pathlib.Path(tmp, "page.png"), path)

    def shot(self, path):
        data = self.cmd("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    browser.cmd("Page.enable")
    browser.cmd("Network.enable")
    try:
        for name, login, password, path, ready in SHOTS:
            if not name.startswith(ONLY):
                continue
            if name in PDFS:
                browser.login(login, password)
                ids = {
                    key: browser.first_id(model, domain)
                    for key, (model, domain) in LOOKUPS.items()
                    if "{" + key + "}" in path
                }
                browser.save_pdf_page(BASE + path.format(**ids), OUT / name)
                print("saved", OUT / name)
                continue
            if login is None:
                browser.logout()
                browser.goto(BASE + path)
            else:
                browser.login(login, password)
                ids = {
                    key: browser.first_id(*lookup)
                    for key, lookup in LOOKUPS.items()
                    if "{" + key + "}" in path
                }
                if name in AS_CUSTOMER:
                    browser.logout()
                browser.goto(BASE + path.format(**ids))
            tab = next((label for prefix, label in TABS.items() if name.startswith(prefix)), None)
            if tab:
                browser.wait("!!document.querySelector('.o_form_view .o_notebook')")
                browser.js(
                    "[...document.querySelectorAll('.o_notebook .nav-link')]"
                    f".find(a => /{tab}/.test(a.textContent)).click()"
                )
                time.sleep(0.5)
                browser.js("document.querySelector('.o_notebook').scrollIntoView()")
            click = next((sel for prefix, sel in CLICKS.items() if name.startswith(prefix)), None)
            if click:
                browser.wait(f"!!document.querySelector({json.dumps(click)})")
                browser.js(f"document.querySelector({json.dumps(click)}).click()")
            if "case_analysis" in name:
                browser.wait("!!document.querySelector('.o_form_view .o_notebook')")
                browser.js(
                    "[...document.querySelectorAll('.o_notebook .nav-link')]"
                    ".find(a => /Analys/.test(a.textContent)).click()"
                )
            browser.wait(f"!!document.querySelector({json.dumps(ready)})")
            if name.startswith("compliance_monitor"):
                # the main clauses, with their sub-clauses' evidence
                browser.js(
                    "const s = document.querySelector('.o_kam_monitor_levels'); s.value = '1';"
                    "s.dispatchEvent(new Event('change'))"
                )
                time.sleep(1)
            if name in AS_CUSTOMER:
                # the customer starts the questionnaire: the questions page
                time.sleep(1)
                browser.js("document.querySelector('button[value=start]').click()")
                browser.wait("!!document.querySelector('.js_question-wrapper')")
            if "case_analysis" in name:
                browser.js("document.querySelector('.o_notebook').scrollIntoView()")
            scroll = next((sel for prefix, sel in SCROLL.items() if name.startswith(prefix)), None)
            if scroll:
                browser.js(
                    f"document.querySelector({json.dumps(scroll)})"
                    ".scrollIntoView({block: 'center'})"
                )
            time.sleep(1.5)
            browser.shot(OUT / name)
            print("saved", OUT / name)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
