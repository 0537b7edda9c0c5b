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
import concurrent.futures
import datetime
import json
import os
import re
import time
from html.parser import HTMLParser

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
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


# ------------------------------------------- the satisfaction opt-out link (issue 13)
_OPTOUT_METHODS = ["GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]


def _mutations(token):
    """Tokens a robot or a damaged link sends: the real one, near misses, anything."""
    near = st.one_of(
        st.just(token.upper()),
        st.just(token[:-1]),
        st.just(token + "0"),
        st.just(f" {token}"),
        st.just(f"{token}\x00"),
        st.just(f"{token}/"),
        st.just(f"{token}/../{token}"),
        st.just(token.replace("-", "")),
        st.just("00000000-0000-0000-0000-000000000000"),
        st.integers(0, len(token) - 1).flatmap(
            lambda i: st.sampled_from("0af-gZ%/\\\x00\u0430").map(
                lambda c: token[:i] + c + token[i + 1 :]
            )
        ),
        st.uuids().map(str),
    )
    anything = st.one_of(
        st.text(max_size=80),
        st.binary(max_size=80),
        st.sampled_from(PAYLOADS),
        st.integers(1, 3000).map(lambda n: "f" * n),
    )
    return st.one_of(st.just(token), st.just(token), near, anything)


def _optout_path(token, encoding):
    """The path as sent: the token percent-encoded once, twice, with its slashes
    left, or as raw (invalid UTF-8) bytes."""
    raw = token if isinstance(token, bytes) else token.encode("utf-8", "surrogatepass")
    if encoding == "latin-1" and isinstance(token, str):
        raw = token.encode("latin-1", "replace")
    quoted = requests.utils.quote(raw, safe="/" if encoding == "slashes" else "")
    if encoding == "twice":
        quoted = requests.utils.quote(quoted, safe="")
    return f"/kam/satisfaction/optout/{quoted}"


def test_fuzz_satisfaction_optout(server, fuzz):
    """The public opt-out link of the satisfaction invitations: malformed, near
    and real tokens, every method, encodings of the path, forms with or without
    a valid CSRF token and with any extra fields or files. No 5xx; nothing is
    written but the real token's confirmation (a POST with the CSRF token), which
    opts out its contact once (its note and tracking), whatever follows. Then the real link of
    another contact confirmed 10 times at once: opted out, one note."""
    admin, cr = fuzz["admin"], fuzz["cr"]
    fuzzer = Fuzzer(fuzz, "satisfaction opt-out link (/kam/satisfaction/optout/<token>)")
    answers = admin(
        "survey.user_input",
        "search_read",
        [("kam_campaign_id", "!=", False), ("partner_id.kam_survey_opt_out", "=", False)],
        ["access_token", "partner_id"],
        order="id",
    )
    targets = list({a["partner_id"][0]: a for a in answers}.values())[:2]
    assert len(targets) == 2, "the demo campaigns have contacts who may be asked"
    target, parallel = targets
    token, partner_id = target["access_token"], target["partner_id"][0]

    def state():
        """(opted-out contacts, messages on the target, all messages, cases)"""
        cr.execute(
            "SELECT (SELECT array_agg(id ORDER BY id) FROM res_partner WHERE kam_survey_opt_out),"
            " (SELECT count(*) FROM mail_message WHERE model = 'res.partner' AND res_id = %s),"
            " (SELECT count(*) FROM mail_message), (SELECT count(*) FROM kam_case)",
            [partner_id],
        )
        return cr.fetchone()

    start_state = state()
    page_url = f"{server['url']}/kam/satisfaction/optout/{token}"
    csrf = fuzzer.csrf(page_url)
    opted_out = [0]  # the messages of the confirmation, once it happened

    @SETTINGS
    @given(
        token_sent=_mutations(token),
        encoding=st.sampled_from(["once", "once", "slashes", "twice", "latin-1"]),
        method=st.sampled_from(_OPTOUT_METHODS),
        csrf_sent=st.sampled_from(["valid", "valid", "none", "other"]) | st.text(max_size=20),
        extra=st.dictionaries(
            st.sampled_from(["kam_survey_opt_out", "partner_id", "token", "x", "csrf_token"])
            | st.text(min_size=1, max_size=10),
            st.text(max_size=30) | st.sampled_from(PAYLOADS),
            max_size=3,
        ),
        body=st.sampled_from(["form", "form", "multipart", "json", "none"]),
        query=st.none() | st.text(max_size=30),
    )
    # the confirmation, then the same again: the second changes nothing
    @example(
        token_sent=token,
        encoding="once",
        method="POST",
        csrf_sent="valid",
        extra={},
        body="form",
        query=None,
    )
    @example(
        token_sent=token,
        encoding="once",
        method="POST",
        csrf_sent="valid",
        extra={"kam_survey_opt_out": "0"},
        body="multipart",
        query=None,
    )
    # a token "/": a double slash in the path, redirected once to a single one
    @example(
        token_sent=b"/",
        encoding="once",
        method="GET",
        csrf_sent="valid",
        extra={},
        body="form",
        query=None,
    )
    # a token with a quote, posted without a CSRF token: Odoo's warning names the
    # path in double quotes (the run of 1,000 inputs; an expected warning)
    @example(
        token_sent="'; DROP TABLE kam_case; --",
        encoding="once",
        method="POST",
        csrf_sent="none",
        extra={},
        body="form",
        query=None,
    )
    def check(token_sent, encoding, method, csrf_sent, extra, body, query):
        before = state()
        data = dict(extra)
        data["csrf_token"] = {"valid": csrf, "none": None, "other": "0" * 40}.get(
            csrf_sent, csrf_sent
        )
        data = {k: v for k, v in data.items() if v is not None}
        kwargs = {}
        if body == "form":
            kwargs["data"] = data
        elif body == "multipart":
            kwargs["files"] = {k: (None, v) for k, v in data.items()} | {
                "upload": ("x.html", f"<script>{MARK}()</script>", "text/html")
            }
        elif body == "json":
            kwargs["json"] = data
        url = server["url"] + _optout_path(token_sent, encoding)
        if query is not None:
            url += "?" + requests.utils.quote(query, safe="=&")
        request = requests.Request(method, url, **kwargs)
        prepared = fuzzer.session.prepare_request(request)
        prepared.url = url  # as drawn: not quoted again
        start = time.perf_counter()
        try:
            response = fuzzer.session.send(prepared, timeout=120, allow_redirects=False)
        except requests.exceptions.InvalidURL:
            return
        fuzzer.seconds += time.perf_counter() - start
        fuzzer.figures[response.status_code] += 1
        if response.status_code == 301:
            # a token that is "/" (or ends in one) makes a double slash in the
            # path, which Odoo's router (werkzeug's merge_slashes) answers for
            # every route with a permanent redirect to the same path with one
            # slash; nothing else is redirected this way (found by the run of
            # 1,000 inputs: /kam/satisfaction/optout/%2F)
            path = requests.utils.unquote(url.split(server["url"], 1)[1].split("?")[0])
            assert "//" in path, (url[:300], response.headers.get("Location"))
            target = requests.utils.urlparse(response.headers["Location"]).path
            assert re.sub("/+", "/", path) == requests.utils.unquote(target), (
                url[:300],
                response.headers["Location"],
            )
        else:
            assert response.status_code in (200, 303, 400, 404, 405), (
                response.status_code,
                method,
                url[:300],
                response.text[:300],
            )
        assert not live_markup(response.text), live_markup(response.text)
        if response.is_redirect:
            # Odoo sends an address that matches no page (a token with a "/") to
            # the same address with a language prefix: that one answers, no loop
            probe = requests.Session()
            probe.max_redirects = 3
            final = probe.get(url, timeout=60)
            assert final.status_code in (200, 404), (url[:300], final.status_code)
        after = state()
        exact = (
            url.split("?")[0] == page_url
            and method == "POST"
            and body in ("form", "multipart")
            and data.get("csrf_token") == csrf
        )
        if exact and not opted_out[0]:
            # the confirmation: this contact is opted out, with its note (and the
            # tracking of the field), nothing else
            assert response.status_code == 200, response.text[:300]
            assert after[0] == sorted({*(before[0] or []), partner_id}), (before, after)
            assert after[1] > before[1] and after[2] - before[2] == after[1] - before[1]
            assert after[3] == before[3]
            opted_out[0] = after[1] - before[1]
            fuzzer.figures["opted out"] += 1
        else:
            assert after == before, (method, url[:300], csrf_sent, body, before, after)

    try:
        check()
        fuzzer.report()
        end_state = state()
        # the real link was confirmed (at least the derandomized run does): once
        assert opted_out[0]
        assert end_state[0] == sorted({*(start_state[0] or []), partner_id})
        assert end_state[1] == start_state[1] + opted_out[0]

        # a token with "%" was redirected to itself for ever (Odoo's canonical
        # address of a multilang page); the complaint confirmation link too
        for path in (
            "/kam/satisfaction/optout/%253C%25",
            "/kam/complaint/confirm/1/%253C%25",
            "/kam/complaint/confirm/1/%25",
        ):
            response = requests.get(server["url"] + path, timeout=60, allow_redirects=False)
            assert response.status_code == 404, (path, response.status_code, response.headers)

        # the real link of another contact, confirmed 10 times at once
        url = f"{server['url']}/kam/satisfaction/optout/{parallel['access_token']}"
        sessions = [requests.Session() for _ in range(10)]
        tokens = [CSRF_RE.search(s.get(url, timeout=60).text).group(1) for s in sessions]
        cr.execute(
            "SELECT count(*) FROM mail_message WHERE model = 'res.partner' AND res_id = %s",
            [parallel["partner_id"][0]],
        )
        notes_before = cr.fetchone()[0]
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            statuses = list(
                pool.map(
                    lambda pair: pair[0].post(url, data={"csrf_token": pair[1]}, timeout=120),
                    zip(sessions, tokens, strict=True),
                )
            )
        assert [r.status_code for r in statuses] == [200] * 10
        cr.execute(
            "SELECT kam_survey_opt_out, (SELECT count(*) FROM mail_message"
            " WHERE model = 'res.partner' AND res_id = %s) FROM res_partner WHERE id = %s",
            [parallel["partner_id"][0]] * 2,
        )
        assert cr.fetchone() == (True, notes_before + opted_out[0])
    finally:
        admin(
            "res.partner",
            "write",
            [partner_id, parallel["partner_id"][0]],
            {"kam_survey_opt_out": False},
        )
