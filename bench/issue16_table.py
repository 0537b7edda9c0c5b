#!/usr/bin/env python3
"""The table of issue 16 from the figures of one ``bench/run_issue16.sh`` run.

    python3 bench/issue16_table.py --kam kam.json --oca oca.json [--log run.log ...]

``kam.json`` is written by ``bench_cases.py --json`` (run.sh), ``oca.json`` by
``bench_oca.py --json`` (run_oca.sh). Lines ``FIGURE <name>: <value> <unit> ...`` in the
logs (printed by steps that report that way) are added below the table. Prints one
Markdown table: measure | kam | OCA | plain SQL | target | met?
"""

import argparse
import json
import re
import sys


def load(path):
    if not path:
        return {"results": [], "keyed": {}, "load": None, "date": "?"}
    with open(path) as f:
        return json.load(f)


def find(data, step_prefix, figure_prefix):
    """The first result whose step and figure start with the given texts."""
    for step, figure, value, unit, note in data["results"]:
        if step.startswith(step_prefix) and figure.startswith(figure_prefix):
            return value, unit, note
    return None


def queries(note):
    m = re.search(r"([\d.,]+) queries(/rec)?", note or "")
    return m.group(1) if m else "?"


def rate(found):
    if not found:
        return None, "not measured"
    value, _unit, note = found
    return value, f"{value:,.1f}/s, {queries(note)} queries"


def size_label(size):
    size = int(size)
    return f"{size // 1_000_000:,}M" if size >= 1_000_000 else f"{size // 1000:,}k"


def ms(value):
    return f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms"


def met(ok):
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def read_rows(kk, ok, sizes, key, label, unit, times, sql_note, oca_note, oca_ahead):
    """The rows of one read (grouped count or first page) at every size, officer
    and superuser: ours beside the plain SQL (at most ``times`` × SQL; < 500 ms
    at 1M for the grouped count) and OCA's figure where run_oca.sh measured it
    (``oca_ahead``: being ahead of OCA is part of the target)."""
    rows = []
    for size in sizes:
        sql = kk.get(f"sql_{key}_{size}")
        for who in ("officer", "superuser"):
            if f"{key}_{size}_{who}" not in kk:
                continue
            value, nq = kk[f"{key}_{size}_{who}"]
            oca_txt, ahead = "", None
            if f"{key}_{size}_oca" in ok:
                mine, their = ok[f"{key}_{size}_kam"][0], ok[f"{key}_{size}_oca"][0]
                ahead = mine < their
                oca_txt = f"{ms(their)} ({oca_note}ours beside it {ms(mine)})"
            target = f"≤ {times} × SQL"
            good = value <= times * sql
            if key == "group" and size >= 1_000_000:
                target += ", < 500 ms"
                good = good and value < 500
            if oca_ahead and oca_txt:
                target += ", ahead of OCA"
                good = good and ahead
            rows.append(
                (
                    f"{label}, {size_label(size)} cases, {who}",
                    f"{ms(value)}, {nq} {unit} ({value / sql:.2f} × SQL)",
                    oca_txt,
                    f"{ms(sql)}{sql_note}",
                    target,
                    met(good),
                )
            )
    return rows


def rows(kam, oca):
    out = []
    kk, ok = kam["keyed"], oca["keyed"]

    # creates: side by side in the OCA run's database (same server, data and cache)
    k_case, k_case_txt = rate(find(oca, "1 normal create", "kam.case"))
    o_case, o_case_txt = rate(find(oca, "1 normal create", "OCA mgmtsystem.nonconformity"))
    ratio = k_case / o_case if k_case and o_case else None
    out.append(
        (
            "create a case, officer, commit each",
            k_case_txt,
            o_case_txt,
            "",
            "≥ 1.5 × OCA",
            met(ratio and ratio >= 1.5) + (f" ({ratio:.2f} ×)" if ratio else ""),
        )
    )
    k_act, k_act_txt = rate(find(oca, "1 normal create", "kam.action"))
    o_act, o_act_txt = rate(find(oca, "1 normal create", "OCA mgmtsystem.action"))
    ratio = k_act / o_act if k_act and o_act else None
    found = find(oca, "1 normal create", "kam.action")
    q = float(queries(found[2]).replace(",", "")) if found else None
    out.append(
        (
            "create an action, officer, commit each",
            k_act_txt,
            o_act_txt,
            "",
            "≥ 1.5 × OCA, ≤ 20 queries",
            met(ratio and ratio >= 1.5 and q <= 20) + (f" ({ratio:.2f} ×)" if ratio else ""),
        )
    )
    value, txt = rate(find(kam, "1 normal create", "complaints, officer"))
    out.append(("create a complaint, officer", txt, "", "", "≥ 30/s", met(value and value >= 30)))
    for label, step, figure, target, limit in (
        ("bulk import of cases, 1,000 per create()", "2 bulk", "cases, ", "≥ 2,000/s", 2000),
        (
            "complaint import as base_import runs it",
            "2 bulk",
            "complaints imported",
            "≥ 2,000/s, 0 mails",
            2000,
        ),
        (
            "bulk import of actions owned by other users",
            "2 bulk",
            "actions owned by other",
            "≥ 1,000/s",
            1000,
        ),
    ):
        value, txt = rate(find(kam, step, figure))
        out.append((label, txt, "", "", target, met(value and value >= limit)))

    # reads: kam figures from run.sh, OCA's (and ours beside them) from run_oca.sh
    sizes = sorted({int(k.split("_")[1]) for k in kk if k.startswith("group_")})
    for key, label, unit, times, sql_note, oca_note, oca_ahead in (
        ("group", "grouped count type × stage × month", "query", 2, "", "stage × month; ", False),
        (
            "page",
            "list first page as the web client asks it",
            "queries",
            3,
            " (rows, names, themes, activities, count)",
            "",
            True,
        ),
    ):
        out.extend(read_rows(kk, ok, sizes, key, label, unit, times, sql_note, oca_note, oca_ahead))

    # the export and the cron, as their steps report them
    for step, figure, value, unit, note in kam["results"]:
        if step.startswith("6 XLSX"):
            peak = re.search(r"peak RSS \+?([\d,]+) MB", note)
            peak = int(peak.group(1).replace(",", "")) if peak else None
            out.append(
                (
                    f"XLSX {figure}",
                    f"{value:,.1f} {unit}, {note}",
                    "none",
                    "",
                    "< 10 s, < 200 MB",
                    met(value < 10 and peak is not None and peak < 200),
                )
            )
    for step, figure, value, unit, note in kam["results"]:
        if step.startswith("5 overdue cron") and figure != "one job, every duty":
            first = figure == "first run"
            out.append(
                (
                    f"overdue cron, {figure}",
                    f"{value:,.2f} {unit}, {note}",
                    "",
                    "",
                    "< 5 s" if first else "",
                    met(value < 5) if first else "",
                )
            )
    return out


def figure_lines(paths):
    lines = []
    for path in paths or ():
        with open(path, errors="replace") as f:
            lines += [line.strip() for line in f if line.lstrip().startswith("FIGURE ")]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kam")
    parser.add_argument("--oca")
    parser.add_argument("--log", action="append")
    parser.add_argument("--size", default="")
    args = parser.parse_args()
    kam, oca = load(args.kam), load(args.oca)
    loads = ", ".join(
        f"{name} {d['date']} load {' / '.join(f'{x:.1f}' for x in d['load'])}"
        for name, d in (("kam", kam), ("OCA", oca))
        if d.get("load")
    )
    print(f"Issue 16, size {args.size}: {loads}")
    print()
    print("| measure | kam | OCA 19.0 | plain SQL | target | met? |")
    print("|---|---|---|---|---|---|")
    for row in rows(kam, oca):
        print("| " + " | ".join(row) + " |")
    extra = figure_lines(args.log)
    if extra:
        print()
        print("Figures the steps printed (FIGURE lines):")
        for line in extra:
            print(f"- {line[len('FIGURE ') :]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
