"""Fuzzing over real HTTP (issue 14): hypothesis sends malformed and hostile
input to every public and portal form and to the XLSX route of the running
test server, with valid CSRF tokens and sessions (what a browser, a robot or a
careless user can send).

For every input: no 5xx; a refusal (400) saves nothing, an acceptance saves one
case and no more (cases, attachments and partners are counted before and
after); no markup of the input is live in what is stored (the HTML description)
or in the page that comes back. The server log gate of ``conftest.server`` also
fails the run on any ERROR line.

``KAM_FUZZ_EXAMPLES`` inputs per form (default 150; ``scripts/fuzz_public.sh``
runs 1,000). The figures (inputs, answers by status, saved cases, seconds) are
written to ``fuzz-figures.txt`` in the log folder. Derandomized by default (the
suite gives the same inputs every run); ``KAM_FUZZ_RANDOM=1`` explores."""

import collections
import datetime
import json
import os
import re
import time
from html.parser import HTMLParser

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LOGDIR, pg_connect

EXAMPLES = int(os.environ.get("KAM_FUZZ_EXAMPLES") or 150)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("KAM_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
MARK = "kamfuzz"
# markup a user or an attacker may type, closed or not, each carrying MARK
PAYLOADS = [
    f"<script>{MARK}()</script>",
    f"<script>{MARK}(",
    f"<img src=x onerror={MARK}()>",
    f"<svg onload={MARK}()>",
    f'"><b {MARK}>',
    f"<iframe src=javascript:{MARK}()>",
    *(
        f"<{tag} data={MARK}"
        for tag in ("object", "style", "iframe", "script", "embed", "template")
    ),
    f"<style>{MARK}{{}}</style>",
    f"&lt;script&gt;{MARK}()&lt;/script&gt;",
    f"<!-- {MARK}",
    f"<a href='javascript:{MARK}()'>x</a>",
    "\x00",
    "\u202e",
    "%",
    "_",
    "'; DROP TABLE kam_case; --",
]


class LiveMarkup(HTMLParser):
    """Finds the markup of the input that a browser would run or render as
    markup: an element or attribute named by it, an event handler or a
    ``javascript:`` address holding it, script/style content or a comment with
    it. Escaped text (in a text node or an attribute value) is not live."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.raw_text = [], None

    def handle_starttag(self, tag, attrs):
        if MARK in tag:
            self.found.append(f"<{tag}")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if MARK in name or (
                MARK in value and (name.startswith("on") or value.startswith("javascript:"))
            ):
                self.found.append(f"<{tag} {name}={value}>")
        self.raw_text = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self.raw_text = None

    def handle_data(self, data):
        if self.raw_text and MARK in data:
            self.found.append(f"<{self.raw_text}>{data[:80]}")

    def handle_comment(self, data):
        if MARK in data:
            self.found.append(f"<!--{data[:80]}")


def live_markup(page):
    parser = LiveMarkup()
    parser.feed(page)
    parser.close()
    return parser.found


STORED_TAG = re.compile(r"<(?!/?(p|br)\b)[a-zA-Z/!?]", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text):
    """What the input rules keep of a one-line text: all of it, tidied."""
    return " ".join(CONTROL.sub("", text).split())


class File:
    """A field sent as a file (multipart upload) instead of a value."""

    def __init__(self, name, raw, mimetype):
        self.name, self.raw, self.mimetype = name, raw, mimetype

    def __repr__(self):
        return f"File({self.name!r}, {len(self.raw)} bytes, {self.mimetype!r})"


def _text(limit):
    """A text field: mostly a valid text holding markup, sometimes anything."""
    valid = (
        st.lists(st.one_of(st.text(max_size=20), st.sampled_from(PAYLOADS)), min_size=1, max_size=5)
        .map("".join)
        .filter(lambda text: one_line(text) and len(text) <= limit)
    )
    overlong = st.integers(limit + 1, limit * 5).map(lambda n: "x" * n)
    return _field(valid, st.one_of(st.text(max_size=limit + 10), overlong, st.just("")))


_files = st.builds(
    File,
    st.text(min_size=1, max_size=40).filter(lambda t: t.strip()) | st.sampled_from(PAYLOADS),
    st.binary(max_size=2000),
    st.sampled_from(["text/plain", "image/jpeg", "text/html", "image/svg+xml", "x/y"]),
)


def _field(valid, hostile):
    """A field: (its valid values, its hostile values: anything, left out
    (None) or sent as a file)."""
    return valid, st.one_of(hostile, st.none(), _files)


def _form(spec):
    """Values for every field of ``spec`` ({name: (valid, hostile)}): valid ones
    with up to two hostile ones among them, or hostile ones everywhere."""
    names = sorted(spec)
    valid = st.fixed_dictionaries({name: spec[name][0] for name in names})
    hostile = st.fixed_dictionaries({name: spec[name][1] for name in names})
    corrupt = st.one_of(
        st.sets(st.sampled_from(names), max_size=2),
        st.sets(st.sampled_from(names), max_size=2),
        st.just(set(names)),
    )
    return st.tuples(valid, hostile, corrupt).map(
        lambda drawn: {
            name: drawn[1][name] if name in drawn[2] else drawn[0][name] for name in names
        }
    )


def _email():
    valid = st.from_regex(r"[a-z]{1,12}@[a-z]{1,12}\.example", fullmatch=True)
    hostile = st.one_of(
        st.emails().map(str),
        st.text(max_size=60),
        st.sampled_from(["a@example.com, b@example.com", "x\x00@example.com", "%@%", ""]),
    )
    return _field(valid, hostile)


def _when():
    moments = st.datetimes(
        min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31)
    ).map(lambda d: d.isoformat(timespec="minutes"))
    return _field(
        st.sampled_from(["2026-03-02T14:30", "", "2025-12-31T23:59"]),
        st.one_of(moments, st.text(max_size=40)),
    )


def _uploads():
    return st.lists(_files, max_size=4)


PUBLIC_FORM = _form(
    {
        "name": _text(100),
        "company_name": _text(200),
        "email": _email(),
        "phone": _text(50),
        "order_reference": _field(
            st.sampled_from(["%", "_", "S%", "S0000%"]) | _text(50)[0], _text(50)[1]
        ),
        "title": _text(200),
        "description": _text(5000),
        "company": _field(
            st.sampled_from(["1", "", "2"]),
            st.one_of(st.integers(-(2**40), 2**40).map(str), st.text(max_size=12)),
        ),
    }
)
SAFE_FORM = _form(
    {
        "title": _text(200),
        "incident_kind": _field(
            st.sampled_from(["unsafe", "near_miss", "accident", ""]),
            st.sampled_from(["party"]) | st.text(max_size=10),
        ),
        "location": _text(200),
        "when": _when(),
        "description": _text(5000),
        "anonymous": _field(st.sampled_from(["1", "0"]), st.text(max_size=5)),
        "name": _text(100),
        "email": _email(),
    }
)


def _portal_form(order_ids):
    return _form(
        {
            "title": _text(200),
            "description": _text(5000),
            "sale_order_id": _field(
                st.sampled_from([str(i) for i in order_ids] + [""]),
                st.integers(-(2**40), 2**40).map(str) | st.text(max_size=12),
            ),
        }
    )


def _split(values, uploads):
    """(form data, files) for requests: values that are files go as uploads."""
    data, files = {}, []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, File):
            files.append((name, (value.name, value.raw, value.mimetype)))
        else:
            data[name] = value
    files += [("attachments", (f.name, f.raw, f.mimetype)) for f in uploads]
    return data, files


class Fuzzer:
    """One form: a session, its CSRF token, the counts, the figures."""

    def __init__(self, fuzz, name):
        self.admin, self.cr, self.name = fuzz["admin"], fuzz["cr"], name
        self.session = requests.Session()
        self.figures = collections.Counter()
        self.seconds = 0.0

    def counts(self):
        """(cases, their attachments, partners), read in the database itself."""
        self.cr.execute(
            "SELECT (SELECT count(*) FROM kam_case),"
            " (SELECT count(*) FROM ir_attachment WHERE res_model = 'kam.case'),"
            " (SELECT count(*) FROM res_partner)"
        )
        return self.cr.fetchone()

    def csrf(self, url):
        page = self.session.get(url, timeout=60)
        assert page.status_code == 200, (url, page.status_code)
        return CSRF_RE.search(page.text).group(1)

    def post(self, url, csrf, values, uploads, ok_statuses=(200, 400)):
        data, files = _split(values, uploads)
        data["csrf_token"] = csrf
        before = self.counts()
        start = time.perf_counter()
        response = self.session.post(url, data=data, files=files or None, timeout=120)
        self.seconds += time.perf_counter() - start
        after = self.counts()
        self.figures[response.status_code] += 1
        assert response.status_code < 500, (response.status_code, values, response.text[:500])
        assert response.status_code in ok_statuses, (response.status_code, response.text[:300])
        new_cases, new_attachments, new_partners = (
            a - b for a, b in zip(after, before, strict=True)
        )
        assert not live_markup(response.text), (values, live_markup(response.text))
        if response.status_code == 400 or new_cases == 0:
            assert (new_cases, new_attachments, new_partners) == (0, 0, 0), (values, before, after)
            return None
        assert new_cases == 1, (values, before, after)
        assert 0 <= new_attachments <= 3 and 0 <= new_partners <= 1, (values, before, after)
        self.figures["saved"] += 1
        self.cr.execute("SELECT title, description FROM kam_case ORDER BY id DESC LIMIT 1")
        case = dict(zip(("title", "description"), self.cr.fetchone(), strict=True))
        description = case["description"] or ""
        assert not STORED_TAG.search(description), description
        assert not live_markup(description), description
        title = values.get("title")
        if isinstance(title, str):
            # nothing of the title is lost, whatever markup it holds
            assert case["title"] == one_line(title), (title, case["title"])
        return case

    def report(self):
        total = sum(v for k, v in self.figures.items() if isinstance(k, int))
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.figures.items(), key=str))
        line = (
            f"{self.name}: {total} inputs, {statuses}; {self.seconds:.1f} s in requests "
            f"({1000 * self.seconds / max(total, 1):.0f} ms each)\n"
        )
        LOGDIR.mkdir(parents=True, exist_ok=True)
        with (LOGDIR / "fuzz-figures.txt").open("a") as figures:
            figures.write(line)
        print(line)


@pytest.fixture(scope="module")
def fuzz(server, rpc):
    """Admin over XML-RPC and a cursor on the server's database; the rate limit
    raised for the run (restored after)."""
    admin = rpc("admin")
    params = {
        key: admin("ir.config_parameter", "get_param", key)
        for key in (
            "kam_management.public_form_max_per_ip",
            "kam_management.public_form_max_per_email",
        )
    }
    for key in params:
        admin("ir.config_parameter", "set_param", key, "1000000")
    conn = pg_connect(server["db"])
    conn.autocommit = True
    with conn.cursor() as cr:
        yield {"admin": admin, "cr": cr}
    conn.close()
    admin = rpc("admin")
    for key, value in params.items():
        admin("ir.config_parameter", "set_param", key, value or "")


def test_fuzz_public_complaint(server, fuzz):
    fuzzer = Fuzzer(fuzz, "public complaint form (/kam/complaint)")
    url = f"{server['url']}/kam/complaint"
    csrf = fuzzer.csrf(url)

    @SETTINGS
    @given(values=PUBLIC_FORM, uploads=_uploads(), website_url=st.sampled_from(["", "", "x"]))
    def check(values, uploads, website_url):
        fuzzer.post(url, csrf, dict(values, website_url=website_url), uploads)

    check()
    fuzzer.report()


def test_fuzz_safe_report(server, fuzz):
    fuzzer = Fuzzer(fuzz, "safe-reporting page (/kam/report/<company>/<token>)")
    [company] = fuzz["admin"](
        "res.company", "search_read", [], ["kam_report_token"], order="id", limit=1
    )
    url = f"{server['url']}/kam/report/{company['id']}/{company['kam_report_token']}"
    csrf = fuzzer.csrf(url)

    @SETTINGS
    @given(values=SAFE_FORM, uploads=_uploads())
    def check(values, uploads):
        fuzzer.post(url, csrf, values, uploads)

    check()
    fuzzer.report()


def test_fuzz_portal_complaint(server, fuzz):
    fuzzer = Fuzzer(fuzz, "portal complaint form (/my/complaints/new)")
    login = fuzzer.session.post(
        f"{server['url']}/web/login",
        data={
            "login": "klant",
            "password": "klant",
            "csrf_token": fuzzer.csrf(f"{server['url']}/web/login"),
        },
        timeout=60,
    )
    assert login.status_code == 200 and "/web/login" not in login.url, login.url
    [user] = fuzz["admin"]("res.users", "search_read", [("login", "=", "klant")], ["partner_id"])
    order_ids = fuzz["admin"](
        "sale.order",
        "search",
        [("partner_id", "child_of", user["partner_id"][0]), ("state", "=", "sale")],
    )
    url = f"{server['url']}/my/complaints/new"
    csrf = fuzzer.csrf(url)

    @SETTINGS
    @given(values=_portal_form(order_ids), uploads=_uploads())
    def check(values, uploads):
        fuzzer.post(url, csrf, values, uploads)

    check()
    fuzzer.report()


# ---------------------------------------------------------------- the XLSX route
_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4),
    max_leaves=30,
)


def _domains(field_names):
    term = st.tuples(
        st.sampled_from(field_names) | st.text(max_size=12),
        st.sampled_from(["=", "!=", "in", "not in", "ilike", "=like", "<", ">", "child_of", "any"])
        | st.text(max_size=6),
        _json_value,
    ).map(list)
    domain = st.lists(st.one_of(term, st.sampled_from(["&", "|", "!"])), max_size=6)
    nested = st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)
    return st.one_of(
        domain.map(json.dumps),
        domain.map(json.dumps),
        _json_value.map(lambda v: json.dumps(v, allow_nan=True)),
        nested,
        st.text(max_size=60),
    )


def test_fuzz_xlsx_route(server, fuzz, rpc):
    officer = rpc("officer")
    fuzzer = Fuzzer(fuzz, "XLSX route (/kam/xlsx/<register>)")
    login = fuzzer.session.post(
        f"{server['url']}/web/login",
        data={
            "login": "kamcoordinator",
            "password": "kamcoordinator",
            "csrf_token": fuzzer.csrf(f"{server['url']}/web/login"),
        },
        timeout=60,
    )
    assert "/web/login" not in login.url
    field_names = sorted(officer("kam.case", "fields_get", [], attributes=["type"]))
    registers = [
        "nonconformity",
        "complaint",
        "incident",
        "action",
        "case",
        "risk_opportunity",
        "supplier_evaluation",
        "audit_findings",
        "document",
    ]

    @SETTINGS
    @given(
        register=st.sampled_from([*registers, "no_such_register", "x" * 300, "..", "%00"]),
        domain=_domains(field_names) | st.none(),
        model=st.none() | st.sampled_from(["kam.case", "kam.action", "x"]),
    )
    def check(register, domain, model):
        params = {key: value for key, value in (("domain", domain), ("model", model)) if value}
        start = time.perf_counter()
        try:
            response = fuzzer.session.get(
                f"{server['url']}/kam/xlsx/{requests.utils.quote(register, safe='')}",
                params=params,
                timeout=120,
            )
        except requests.exceptions.InvalidURL:
            return
        fuzzer.seconds += time.perf_counter() - start
        fuzzer.figures[response.status_code] += 1
        assert response.status_code in (200, 400, 403, 404), (
            response.status_code,
            register,
            domain,
            response.text[:300],
        )
        if response.status_code == 200:
            assert response.content[:2] == b"PK", response.headers

    check()
    fuzzer.report()
