"""Past one machine: Odoo with workers and a read-only PostgreSQL replica.

A streaming replica of the test cluster (pg_basebackup + standby.signal, PostgreSQL's
own physical replication, on this machine) and an Odoo server with ``--workers=2``,
``--db_replica_host`` and ``--db_replica_port``. The KAM figures, the buttons that
open dashboards and registers, and the XLSX register export are read-only work: the
replica serves them, with the same results as the primary.

That the replica served them is shown twice: its statement log holds the queries of
the calls, and while its WAL replay is paused a case written on the primary is
missing from the read-only calls (and only from them) until replay resumes."""

import glob
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import xmlrpc.client

import openpyxl
import psycopg2
import pytest
import requests

from conftest import (
    LOGDIR,
    RUN_ID,
    STATE,
    kamctl,
    odoo_server,
)

REPLICA_PORT = 5433
ADMIN = ("admin", "admin")


def odoo_conf():
    return dict(
        line.split(" = ", 1)
        for line in (STATE / "odoo.conf").read_text().splitlines()
        if " = " in line
    )


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if found:
        return pathlib.Path(found[-1]).parent
    return pathlib.Path(shutil.which("pg_basebackup")).parent


def as_owner(cmd):
    """PostgreSQL refuses to run as root: run its programs as the cluster owner."""
    cmd = [str(c) for c in cmd]
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def run(cmd, timeout=600):
    proc = subprocess.run(
        as_owner(cmd),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
    return proc.stdout


def connect(host, port, dbname="postgres"):
    cnx = psycopg2.connect(dbname=dbname, host=host, port=port, user="postgres")
    cnx.autocommit = True
    return cnx


def fetch(cnx, query):
    with cnx.cursor() as cr:
        cr.execute(query)
        return cr.fetchone()[0]


@pytest.fixture(scope="module")
def database(installed):
    """A copy of the installed database with demo data (the idle copy that the update
    test also uses; the server of the other system tests keeps the original busy)."""
    assert installed["rc"] == 0, "kam_management did not install"
    db = f"kam_rp_{RUN_ID}"
    rc, out = kamctl("copy-db", installed["lifecycle_db"], db)
    assert rc == 0, out
    yield db
    kamctl("drop-db", db)


@pytest.fixture(scope="module")
def replica(database):
    """A hot standby of the test cluster, streaming from it, on its own socket."""
    conf = odoo_conf()
    primary = (conf["db_host"], int(conf["db_port"]))
    base = pathlib.Path(tempfile.mkdtemp(prefix="kam-replica-", dir="/tmp"))
    data, sock, log = base / "data", base / "run", base / "server.log"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    bindir = pg_bin()
    started = False
    try:
        # -R writes standby.signal and primary_conninfo: a streaming standby
        run(
            [bindir / "pg_basebackup", "-h", primary[0], "-p", primary[1], "-U", "postgres"]
            + ["-D", data, "-X", "stream", "-R", "--checkpoint=fast", "--no-sync"]
        )
        assert (data / "standby.signal").exists()
        settings = (
            "\n# the replica of tests/test_replica.py\n"
            f"port = {REPLICA_PORT}\n"
            f"unix_socket_directories = '{sock}'\n"
            "shared_buffers = 64MB\n"
            "hot_standby = on\n"
            # every statement, with the database and the client: the proof of who served what
            "log_statement = 'all'\n"
            "log_line_prefix = '%m [%p] db=%d app=%a: '\n"
        )
        with (data / "postgresql.conf").open("a") as conf_file:
            conf_file.write(settings)
        run([bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "120", "start"])
        started = True
        cnx = connect(sock, REPLICA_PORT)
        assert fetch(cnx, "SELECT pg_is_in_recovery()") is True
        primary_cnx = connect(*primary)
        yield {
            "host": str(sock),
            "port": REPLICA_PORT,
            "log": log,
            "cnx": cnx,
            "primary": primary_cnx,
        }
        cnx.close()
        primary_cnx.close()
    finally:
        if started:
            subprocess.run(
                as_owner([bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        if log.exists():
            LOGDIR.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, LOGDIR / "replica-postgresql.log")
        shutil.rmtree(base, ignore_errors=True)


def wait_replayed(replica, timeout=60):
    """Until the replica has replayed everything the primary has written so far.

    The test cluster runs with ``synchronous_commit = off``: a committed transaction's
    commit record may still sit in the WAL buffers, past ``pg_current_wal_lsn()`` (the
    write position). The insert position covers every record already inserted.
    """
    lsn = fetch(replica["primary"], "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.time() + timeout
    query = f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"
    while not fetch(replica["cnx"], query):
        assert time.time() < deadline, "the replica does not catch up with the primary"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(database, replica):
    """Odoo as in production: prefork workers, the replica for read-only work."""
    # a read-only call that writes, or a replica Odoo cannot reach, logs a warning:
    # odoo_server fails on it
    with odoo_server(
        database,
        "server-replica.log",
        "--workers=2",
        "--max-cron-threads=0",
        f"--db_replica_host={replica['host']}",
        f"--db_replica_port={replica['port']}",
        what="Odoo (workers, replica)",
    ) as info:
        yield {"url": info["url"], "db": database}


class WebClient:
    """The web client's JSON-RPC calls (these are the ones Odoo sends to the replica)."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.http = requests.Session()
        info = self.call("/web/session/authenticate", db=db, login=login, password=password)
        assert info["uid"], info

    def call(self, route, **params):
        resp = self.http.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
        )
        resp.raise_for_status()
        body = resp.json()
        assert "error" not in body, body.get("error")
        return body["result"]

    def call_kw(self, model, method, *args, **kwargs):
        return self.call(
            f"/web/dataset/call_kw/{model}.{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def button(self, model, method, ids):
        return self.call(
            f"/web/dataset/call_button/{model}.{method}",
            model=model,
            method=method,
            args=[ids],
            kwargs={},
        )


def primary_rpc(server):
    """XML-RPC: Odoo always serves it on the primary (a read/write cursor)."""
    url, db = server["url"], server["db"]
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, *ADMIN, {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, ADMIN[1], model, method, list(args), kwargs)

    return call


DAYS = ("2025-01-14", "2025-01-28", "2025-02-03", "2025-03-17", "2025-03-18")
FIGURE = {
    "domain": [("title", "=like", "Replica %")],
    "groupby": ["date_found:month"],
    "aggregates": ["__count"],
}


def figure(groups):
    """(month, count) pairs of a formatted_read_group result."""
    pairs = []
    for group in groups:
        month = group["date_found:month"]
        pairs.append((month[0] if isinstance(month, list) else month, group["__count"]))
    return sorted(pairs)


def replica_statements(replica, db, since):
    """The statements the replica ran for database ``db`` since byte ``since`` of its log."""
    text = replica["log"].read_bytes()[since:].decode(errors="replace")
    # an entry starts with the timestamp of log_line_prefix; continuation lines follow it
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    return [e for e in entries if f"db={db} " in e and "statement:" in e]


def test_read_only_work_is_served_by_the_replica(server, replica):
    db = server["db"]
    primary = primary_rpc(server)
    # data written on the primary, as users do
    for day in DAYS:
        primary(
            "kam.case",
            "create",
            [{"title": f"Replica case {day}", "case_type": "nonconformity", "date_found": day}],
        )
    wait_replayed(replica)
    web = WebClient(server["url"], db, *ADMIN)
    log_start = replica["log"].stat().st_size

    # the figures (graph and pivot views), the register list, a dashboard button
    expected = figure(primary("kam.case", "formatted_read_group", **FIGURE))
    assert [count for _, count in expected] == [2, 1, 2]
    assert figure(web.call_kw("kam.case", "formatted_read_group", **FIGURE)) == expected
    page = web.call_kw(
        "kam.case",
        "web_search_read",
        FIGURE["domain"],
        {"title": {}, "date_found": {}},
        order="date_found asc, id asc",
    )
    assert page["length"] == 5
    assert [r["title"] for r in page["records"]] == [
        r["title"]
        for r in primary(
            "kam.case", "search_read", FIGURE["domain"], ["title"], order="date_found asc, id asc"
        )
    ]
    standard = primary("kam.standard", "search", [], limit=1)
    action = web.button("kam.standard", "action_view_clauses", standard)
    assert action["res_model"] == "kam.standard.clause"
    clauses = web.call_kw(
        "kam.standard.clause", "web_search_read", action["domain"], {"display_name": {}}
    )
    assert clauses["length"] == primary("kam.standard.clause", "search_count", action["domain"])
    assert clauses["length"] > 0
    # the XLSX register (GET /kam/xlsx/case, a read-only route)
    resp = web.http.get(
        f"{server['url']}/kam/xlsx/case",
        params={"domain": json.dumps(FIGURE["domain"])},
        timeout=120,
    )
    assert resp.status_code == 200, resp.text[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    titles = sorted(c for c in cells if c.startswith("Replica case "))
    assert titles == sorted(f"Replica case {day}" for day in DAYS)

    # the replica's own log holds these queries: it served them
    served = replica_statements(replica, db, log_start)
    assert any("kam_case" in line and "date_found" in line for line in served), served[-20:]
    assert any("kam_standard_clause" in line for line in served), served[-20:]

    # with the replica's replay paused, a case written on the primary is not seen by the
    # read-only calls (the replica serves them) until replay resumes
    fetch(replica["cnx"], "SELECT pg_wal_replay_pause()::text")
    try:
        primary(
            "kam.case",
            "create",
            [
                {
                    "title": "Replica case late",
                    "case_type": "nonconformity",
                    "date_found": "2025-03-20",
                }
            ],
        )
        after = figure(primary("kam.case", "formatted_read_group", **FIGURE))
        assert [count for _, count in after] == [2, 1, 3]
        assert figure(web.call_kw("kam.case", "formatted_read_group", **FIGURE)) == expected
        assert web.call_kw("kam.case", "search_count", FIGURE["domain"]) == 5
    finally:
        fetch(replica["cnx"], "SELECT pg_wal_replay_resume()::text")
    wait_replayed(replica)
    assert figure(web.call_kw("kam.case", "formatted_read_group", **FIGURE)) == after
    assert web.call_kw("kam.case", "search_count", FIGURE["domain"]) == 6

    # write work still goes to the primary, through the same web client
    case = web.call_kw(
        "kam.case", "create", [{"title": "Replica case web", "case_type": "nonconformity"}]
    )
    ids = case if isinstance(case, list) else [case]
    assert primary("kam.case", "search_count", [("id", "in", ids)]) == 1
