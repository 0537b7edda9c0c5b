#!/usr/bin/env python3
"""How long the KAM dashboard takes to open in a real browser (headless Chromium,
DevTools protocol), on a running server.

    .venv/bin/python bench/bench_dashboard_browser.py --url http://127.0.0.1:8469 \
        --login bench_officer_0 --password bench_officer_0 [--runs 5]

The web client is loaded once, as for a user who is already in Odoo, and the
dashboard opened once (the spreadsheet code is loaded on first use); then, per
run, another screen is opened and the dashboard again, from the client, and the
time is taken from that moment to the end of the last data request the dashboard
made (its JSON and every pivot, chart and list), with the spreadsheet drawn.
Prints the median; asserts nothing. run_leadership.sh --browser starts the server."""

import argparse
import json
import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts" / "dev"))

OPEN = """
(async () => {
    const env = odoo.__WOWL_DEBUG__.root.env;
    await env.services.action.doAction("kam_management.kam_objective_action");
    await new Promise((r) => setTimeout(r, 500));
    performance.clearResourceTimings();
    const start = performance.now();
    await env.services.action.doAction("kam_management.kam_dashboard_action");
    const rpc = () => performance.getEntriesByType("resource").filter(
        (e) => /call_kw|dashboard\\/data/.test(e.name));
    let last = -1, stable = 0;
    while (stable < 10) {
        await new Promise((r) => setTimeout(r, 100));
        const entries = rpc();
        const canvas = document.querySelector(".o_spreadsheet_dashboard_action .o-grid canvas");
        if (entries.length === last && canvas && entries.every((e) => e.responseEnd > 0)) {
            stable++;
        } else {
            stable = 0;
        }
        last = entries.length;
    }
    const entries = rpc();
    const end = Math.max(...entries.map((e) => e.responseEnd));
    return JSON.stringify({ms: end - start, requests: entries.length});
})()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.argv = [sys.argv[0], args.url]
    import screenshots  # noqa: PLC0415 (the project's CDP helper)

    browser = screenshots.Browser()
    browser.cmd("Page.enable")
    browser.cmd("Network.enable")
    try:
        browser.login(args.login, args.password)
        browser.goto(f"{args.url}/odoo")
        browser.wait("!!(window.odoo && odoo.__WOWL_DEBUG__ && odoo.__WOWL_DEBUG__.root)", 600)
        times = []
        time.sleep(1)
        for run in range(args.runs + 1):
            result = json.loads(browser.js(OPEN))
            if run:  # the first run warms the spreadsheet bundle
                times.append(result["ms"])
            print(f"  run {run}: {result['ms']:.0f} ms, {result['requests']} requests", flush=True)
        print(
            f"  -> 9 dashboard | opens in the browser (median of {args.runs}): "
            f"{statistics.median(times):.0f} ms"
        )
    finally:
        browser.close()


if __name__ == "__main__":
    main()
