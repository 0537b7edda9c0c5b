#!/usr/bin/env python3
"""Generate the KAM dashboard (Odoo 19 spreadsheet_dashboard JSON).

    python3 scripts/make_kam_dashboard.py   # writes kam_management/data/files/kam_dashboard.json

The dashboard is a spreadsheet: pivots, lists and charts on the KAM models, each
clickable to its records (pivot cells and charts: "see records"; list cells: the
record; scorecards: the KAM menu). Texts are ``_t("...")`` formulas and chart
titles, which Odoo's translation export picks up (the file name ends in
``_dashboard.json``), so the Dutch lives in the module's nl.po.

Edit this script, not the JSON: the JSON is its output and is kept in the
repository beside it. Cell addresses, figure positions and ids are fixed here so
that a run without changes gives the same file.
"""

import json
import os
import string

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "kam_management", "data", "files", "kam_dashboard.json")
VERSION = "18.5.10"
PERIOD_FILTER = "6f1c6b0e-0c7a-4b8e-9a51-2f1e0a6b7c01"

COLUMNS = [260, 110, 110, 40, 260, 110, 110]
ROW_HEIGHT = 23
TITLE = {"textColor": "#01666b", "bold": True, "fontSize": 16}
HEADING = {"textColor": "#01666b", "bold": True, "fontSize": 13}
SUBTLE = {"textColor": "#666666", "italic": True}


def col(index):
    return string.ascii_uppercase[index]


class Dashboard:
    def __init__(self):
        self.cells = {}
        self.styles_of = {}
        self.styles = []
        self.rows = {}
        self.figures = []
        self.pivots = {}
        self.lists = {}
        self.data_cells = {}
        self.menus = {}

    # ------------------------------------------------------------ layout
    def style(self, style):
        if style not in self.styles:
            self.styles.append(style)
        return self.styles.index(style) + 1

    def text(self, cell, value, style=None):
        self.cells[cell] = f'=_t("{value}")'
        if style:
            self.styles_of[cell] = self.style(style)

    def row_height(self, row, height):
        self.rows[str(row - 1)] = {"size": height}

    def y_of(self, row):
        """The top of 1-based ``row`` in pixels."""
        return sum(self.rows.get(str(r), {}).get("size", ROW_HEIGHT) for r in range(row - 1))

    def x_of(self, column):
        return sum(COLUMNS[:column])

    # ------------------------------------------------------------ data sources
    def pivot(self, pid, name, model, domain, rows, measures=("__count",), period=None):
        matching = {}
        if period:
            matching[PERIOD_FILTER] = {"chain": period, "type": "date", "offset": 0}
        self.pivots[str(pid)] = {
            "type": "ODOO",
            "fieldMatching": matching,
            "context": {},
            "domain": domain,
            "id": str(pid),
            "measures": [{"id": m, "fieldName": m} for m in measures],
            "model": model,
            "name": name,
            "sortedColumn": {"measure": measures[0], "order": "desc", "domain": []}
            if rows
            else None,
            "formulaId": str(pid),
            "columns": [],
            "rows": [{"fieldName": r} for r in rows],
        }
        if not rows:
            del self.pivots[str(pid)]["sortedColumn"]

    def odoo_list(self, lid, name, model, domain, columns, order):
        self.lists[str(lid)] = {
            "columns": columns,
            "domain": domain,
            "model": model,
            "context": {},
            "orderBy": [{"name": field, "asc": asc} for field, asc in order],
            "id": str(lid),
            "name": name,
            "fieldMatching": {},
        }

    def list_block(self, lid, first_row, first_col, fields, count):
        for j, field in enumerate(fields):
            c = col(first_col + j)
            self.cells[f"{c}{first_row}"] = f'=ODOO.LIST.HEADER({lid}, "{field}")'
            self.styles_of[f"{c}{first_row}"] = self.style({"bold": True, "textColor": "#434343"})
            for i in range(count):
                self.cells[f"{c}{first_row + 1 + i}"] = f'=ODOO.LIST({lid},{i + 1},"{field}")'

    # ------------------------------------------------------------ figures
    def scorecard(self, fid, index, title, data_cell, menu, background):
        # two rows of three: wide enough for the Dutch titles
        width, height = 328, 96
        self.figures.append(
            {
                "id": fid,
                "width": width,
                "height": height,
                "tag": "chart",
                "data": {
                    "baselineColorDown": "#DC6965",
                    "baselineColorUp": "#00A04A",
                    "baselineMode": "difference",
                    "title": {"text": title, "bold": True, "color": "#434343"},
                    "type": "scorecard",
                    "background": background,
                    "keyValue": f"Data!{data_cell}",
                    "humanize": False,
                    "chartId": fid,
                },
                "offset": {"x": index % 3 * (width + 8), "y": 40 + index // 3 * (height + 8)},
                "col": 0,
                "row": 0,
            }
        )
        self.menus[fid] = menu

    def chart(self, fid, kind, title, model, domain, group_by, x, y, width, height, period=None):
        matching = {}
        if period:
            matching[PERIOD_FILTER] = {"chain": period, "type": "date", "offset": 0}
        data = {
            "title": {"text": title, "bold": True, "color": "#01666b"},
            "background": "#FFFFFF",
            "legendPosition": "top" if kind == "pie" else "none",
            "metaData": {
                "groupBy": group_by,
                "measure": "__count",
                "order": None,
                "resModel": model,
                "mode": kind,
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": domain,
                "groupBy": group_by,
                "orderBy": [],
            },
            "type": f"odoo_{kind}",
            "dataSets": [{}],
            "chartId": fid,
            "fieldMatching": matching,
        }
        if kind == "bar":
            data.update(verticalAxisPosition="left", stacked=False)
        self.figures.append(
            {
                "id": fid,
                "width": width,
                "height": height,
                "tag": "chart",
                "data": data,
                "offset": {"x": x, "y": y},
                "col": 0,
                "row": 0,
            }
        )

    # ------------------------------------------------------------ output
    def json(self):
        dashboard = {
            "id": "0b5f1c1e-8a2d-4d8e-b6c0-4a1b2c3d4e51",
            "name": "Dashboard",
            "colNumber": len(COLUMNS),
            "rowNumber": 90,
            "rows": self.rows,
            "cols": {str(i): {"size": w} for i, w in enumerate(COLUMNS)},
            "merges": [],
            "cells": dict(sorted(self.cells.items())),
            "styles": dict(sorted(self.styles_of.items())),
            "formats": {},
            "borders": {},
            "conditionalFormats": [],
            "dataValidationRules": [],
            "figures": self.figures,
            "tables": [],
            "areGridLinesVisible": False,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "comments": {},
        }
        data_sheet = {
            "id": "7d0c2b9e-3f5a-4c1d-9e8b-6a5f4e3d2c19",
            "name": "Data",
            "colNumber": 4,
            "rowNumber": 20,
            "rows": {},
            "cols": {"0": {"size": 220}, "1": {"size": 90}, "2": {"size": 90}},
            "merges": [],
            "cells": dict(sorted(self.data_cells.items())),
            "styles": {},
            "formats": {},
            "borders": {},
            "conditionalFormats": [],
            "dataValidationRules": [],
            "figures": [],
            "tables": [],
            "areGridLinesVisible": True,
            "isVisible": False,
            "headerGroups": {"ROW": [], "COL": []},
            "comments": {},
        }
        return {
            "version": VERSION,
            "sheets": [dashboard, data_sheet],
            "styles": {str(i + 1): s for i, s in enumerate(self.styles)},
            "formats": {},
            "borders": {},
            "revisionId": "START_REVISION",
            "uniqueFigureIds": True,
            "settings": {
                "locale": {
                    "name": "English (US)",
                    "code": "en_US",
                    "thousandsSeparator": ",",
                    "decimalSeparator": ".",
                    "dateFormat": "mm/dd/yyyy",
                    "timeFormat": "hh:mm:ss",
                    "formulaArgSeparator": ",",
                    "weekStart": 7,
                }
            },
            "pivots": self.pivots,
            "pivotNextId": max(int(k) for k in self.pivots) + 1,
            "customTableStyles": {},
            "globalFilters": [
                {
                    "id": PERIOD_FILTER,
                    "type": "date",
                    "label": "Period",
                    "defaultValue": "last_12_months",
                }
            ],
            "lists": self.lists,
            "listNextId": max(int(k) for k in self.lists) + 1,
            "chartOdooMenusReferences": self.menus,
        }


def build():
    d = Dashboard()
    d.text("A1", "KAM dashboard", TITLE)
    d.row_height(1, 36)
    # scorecards (rows 2-7 are behind them)
    for row in range(2, 8):
        d.row_height(row, 34)
    cards = [
        (
            "Open cases",
            "kam.case",
            [["is_closed", "=", False]],
            None,
            "kam_management.menu_kam_case_all",
            "#EFF6FF",
        ),
        (
            "Overdue cases",
            "kam.case",
            [["is_overdue", "=", True]],
            None,
            "kam_management.menu_kam_case_all",
            "#FFF7ED",
        ),
        (
            "Open actions",
            "kam.action",
            [["state", "=", "open"]],
            None,
            "kam_management.menu_kam_action_all",
            "#EFF6FF",
        ),
        (
            "Overdue actions",
            "kam.action",
            [["is_overdue", "=", True]],
            None,
            "kam_management.menu_kam_action_all",
            "#FFF7ED",
        ),
        (
            "Incidents",
            "kam.case",
            [["case_type", "=", "incident"]],
            "date_found",
            "kam_management.menu_kam_case_incident",
            "#FEF2F2",
        ),
        (
            "Indicators off target",
            "kam.indicator",
            [["last_status", "=", "red"]],
            None,
            "kam_management.menu_kam_indicator",
            "#FEF2F2",
        ),
    ]
    for i, (title, model, domain, period, menu, background) in enumerate(cards):
        pid = 20 + i
        d.pivot(pid, f"{title} (total)", model, domain, [], period=period)
        d.data_cells[f"A{i + 1}"] = f'=_t("{title}")'
        d.data_cells[f"B{i + 1}"] = f'=PIVOT.VALUE({pid},"__count")'
        d.data_cells[f"C{i + 1}"] = f"=FORMAT.LARGE.NUMBER(B{i + 1})"
        d.scorecard(f"kam-score-{i + 1}", i, title, f"C{i + 1}", menu, background)

    # open and overdue cases by type
    d.text("A9", "Open cases by type", HEADING)
    d.text("E9", "Overdue cases by type", HEADING)
    d.row_height(9, 34)
    d.pivot(1, "Open cases", "kam.case", [["is_closed", "=", False]], ["case_type"])
    d.pivot(2, "Overdue cases", "kam.case", [["is_overdue", "=", True]], ["case_type"])
    d.cells["A10"] = "=PIVOT(1, 10, TRUE, FALSE, 10, FALSE)"
    d.cells["E10"] = "=PIVOT(2, 10, TRUE, FALSE, 10, FALSE)"

    # actions by owner
    d.text("A17", "Open actions by owner", HEADING)
    d.text("E17", "Overdue actions by owner", HEADING)
    d.row_height(17, 34)
    d.pivot(3, "Open actions", "kam.action", [["state", "=", "open"]], ["user_id"])
    d.pivot(4, "Overdue actions", "kam.action", [["is_overdue", "=", True]], ["user_id"])
    d.cells["A18"] = "=PIVOT(3, 10, TRUE, FALSE, 10, FALSE)"
    d.cells["E18"] = "=PIVOT(4, 10, TRUE, FALSE, 10, FALSE)"

    # incident pyramid and supplier classes (charts over rows 31-44)
    d.text("A30", "Safety and suppliers (period filter)", HEADING)
    d.row_height(30, 34)
    top = d.y_of(31)
    d.chart(
        "kam-chart-pyramid",
        "bar",
        "Incident pyramid",
        "kam.case",
        [["case_type", "=", "incident"]],
        ["incident_kind"],
        0,
        top,
        d.x_of(3),
        300,
        period="date_found",
    )
    d.chart(
        "kam-chart-suppliers",
        "pie",
        "Supplier classes (approved evaluations)",
        "kam.supplier.evaluation",
        [["state", "=", "approved"]],
        ["supplier_class"],
        d.x_of(4),
        top,
        sum(COLUMNS[4:]),
        300,
        period="approved_date",
    )

    # indicators against their target
    d.text("A45", "Indicators against their target", HEADING)
    d.row_height(45, 34)
    d.odoo_list(
        1,
        "Indicators",
        "kam.indicator",
        [["active", "=", True]],
        ["name", "last_period", "last_value", "target", "unit", "last_status"],
        [("sequence", True), ("name", True)],
    )
    d.list_block(1, 46, 0, ["name", "last_period", "last_value", "target"], 12)
    d.list_block(1, 46, 5, ["unit", "last_status"], 12)

    # certificates, audits and reviews due
    d.text("A60", "Certificates of the company", HEADING)
    d.text("E60", "Management reviews due", HEADING)
    d.row_height(60, 34)
    d.odoo_list(
        4,
        "Certificates",
        "kam.certificate",
        [],
        ["standard_id", "name", "date_valid_until"],
        [("date_valid_until", True)],
    )
    d.list_block(4, 61, 0, ["standard_id", "name", "date_valid_until"], 5)
    d.odoo_list(
        3,
        "Management reviews",
        "kam.review",
        [["state", "=", "approved"], ["superseded", "=", False]],
        ["name", "next_review_date"],
        [("next_review_date", True)],
    )
    d.list_block(3, 61, 4, ["name", "next_review_date"], 5)
    d.text("A68", "Supplier certificates by expiry date", HEADING)
    d.text("E68", "Audits planned", HEADING)
    d.row_height(68, 34)
    d.odoo_list(
        2,
        "Supplier certificates",
        "kam.supplier.certificate",
        [["date_valid_until", "!=", False]],
        ["partner_id", "name", "date_valid_until"],
        [("date_valid_until", True)],
    )
    d.list_block(2, 69, 0, ["partner_id", "name", "date_valid_until"], 10)
    d.odoo_list(
        5,
        "Audits planned",
        "kam.audit",
        [["state", "in", ["planned", "prepared"]]],
        ["title", "date_planned"],
        [("date_planned", True)],
    )
    d.list_block(5, 69, 4, ["title", "date_planned"], 10)
    return d.json()


def main():
    data = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"written {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
