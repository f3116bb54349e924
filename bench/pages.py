"""Benchmark the public site as anonymous visitors get it: `make bench` (python -m bench.pages).

What it measures, and why
-------------------------
Most visitors read guidance without signing in, often on a poor connection and under
pressure, so two things matter: the site keeps answering when many people arrive at
once, and a guidance page is light to download. This script:

1. Prepares a PostgreSQL database (`portal_bench` on 127.0.0.1, created if missing, or
   whatever DATABASE_URL names): migrate, collectstatic, load_demo_content, and clear
   the page cache so that no page rendered by older code is measured.
2. Serves the site with gunicorn, DEBUG off, on a free port of 127.0.0.1 (the only
   address this script ever sends requests to).
3. Loads each URL in turn with wrk: the home page, a guidance page, the resource library,
   a search, and /health/live/, a minimal Django view that passes through the same
   middleware but touches no database and renders no template. Raw requests per second
   depend on the machine; the ratio of a page to the minimal view, measured in the same
   run, much less so, and that is the figure the target is set on. Each URL is fetched
   first, to check it answers 200 and to fill the page cache. The minimal view is loaded
   first and again last, and the CPU time other processes take during each run is
   reported: a machine busy with other work makes the ratios unreliable, and it says so.
4. Signs in as the demo member through the real flow (password, then the authenticator's
   code: the member's password and TOTP secret are set afresh in the benchmark's database
   first) and loads, with that session's cookie: the minimal view, the member's dashboard
   (/members/), their group's page, its updates feed, meeting index and trend summaries.
   The signed-in minimal view costs what every signed-in request costs (the session and
   the user); the pages are compared with it.
5. Weighs the guidance page: its HTML plus every stylesheet and script it loads
   (following JavaScript module imports), gzip-compressed as a browser would receive them.

Targets, from the issues: a guidance page serves at least half the minimal view's
requests per second (reachable because anonymous pages come from the page cache, see
portal.cache), and weighs at most 100 KB compressed (1 KB = 1,000 bytes); the signed-in
minimal view at least half the anonymous one; the dashboard and the group page at least
0.2 x the signed-in minimal view and 150 requests/s; public search at least 0.1 x the
minimal view. A missed target is reported, not an error: the exit status is non-zero only
when the site could not be set up or a page did not answer.

Settings, from the environment: BENCH_SECONDS (per URL, default 10), BENCH_CONNECTIONS
(default 16), BENCH_WORKERS (gunicorn workers, default 2), BENCH_START_SECONDS (how long
gunicorn may take to start, default 30), and DATABASE_URL, REDIS_URL, CACHE_URL
and PAGE_CACHE_URL as for the site. The figures are also written to .bench/results.json.
"""

import gzip
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.harness import (
    BASE_DIR,
    LIVE_PATH,
    BenchError,
    ensure_database,
    ensure_wrk,
    fetch,
    gunicorn,
    parse_wrk,
    positive_setting,
    prepare_site,
    print_table,
    run_main,
    run_wrk,
    safe_database_url,
    sign_in,
    site_environment,
    write_results,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"

MINIMAL = "minimal view"
GUIDANCE = "guidance page"
SEARCH = "search"
TARGETS = {
    MINIMAL: LIVE_PATH,
    "home page": "/",
    GUIDANCE: "/guidance/online-sexually-coerced-extortion/",
    "resource library": "/resources/",
    SEARCH: "/search/?query=extortion",
}
SIGNED_IN_MINIMAL = "signed-in minimal view"
DASHBOARD = "dashboard"
GROUP_PAGE = "group page"
# Loaded with the demo member's session cookie.
SIGNED_IN_TARGETS = {
    SIGNED_IN_MINIMAL: LIVE_PATH,
    DASHBOARD: "/members/",
    GROUP_PAGE: "/members/cumbria/",
    # Measured and reported beside them, without a target of their own.
    "updates feed": "/members/cumbria/updates/",
    "meeting index": "/members/cumbria/meetings/",
    "trend summaries": "/members/cumbria/summaries/",
}
MEMBER_EMAIL = "member@example.org"  # the demo member, of the Cumbria group
NOISE_LIMIT = 0.15  # beyond this, a busy machine makes the ratios unreliable
THROUGHPUT_TARGET = 0.5  # guidance page requests/s as a share of the minimal view's
SIGNED_IN_TARGET = 0.5  # the signed-in minimal view's requests/s as a share of the anonymous one's
MEMBERS_PAGE_TARGET = 0.2  # dashboard and group page as a share of the signed-in minimal view's
MEMBERS_PAGE_FLOOR = 150  # requests/s, dashboard and group page
SEARCH_TARGET = 0.1  # public search as a share of the minimal view's
WEIGHT_BUDGET = 100_000  # bytes, compressed: HTML, CSS and JavaScript of a guidance page


@dataclass
class Settings:
    seconds: int
    connections: int
    workers: int
    threads: int = 2  # wrk threads: one per core of the 2-core machines this runs on
    database_url: str = DEFAULT_DATABASE_URL


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    latency_ms: dict
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    served_from_cache: bool
    other_cpu_share: float | None
    repeat: bool = False
    signed_in: bool = False
    ratio_to_minimal: float = 0.0  # to the signed-in minimal view for signed-in pages

    @property
    def label(self):
        label = f"{self.path} (again)" if self.repeat else self.path
        return f"{label} (signed in)" if self.signed_in else label


@dataclass
class Asset:
    url: str
    kind: str
    raw_bytes: int
    compressed_bytes: int
    compression: str


@dataclass
class PageWeight:
    url: str
    assets: list = field(default_factory=list)

    @property
    def compressed_bytes(self):
        return sum(asset.compressed_bytes for asset in self.assets)

    @property
    def raw_bytes(self):
        return sum(asset.raw_bytes for asset in self.assets)


# Setup ---------------------------------------------------------------------------------


def read_settings():
    connections = positive_setting("BENCH_CONNECTIONS", 16)
    return Settings(
        seconds=positive_setting("BENCH_SECONDS", 10),
        connections=connections,
        workers=positive_setting("BENCH_WORKERS", 2),
        threads=min(2, connections),
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
    )


# Sync workers, one per core by default: requests are short and CPU-bound once pages come
# from the cache, and wrk needs some of the same two cores.
GUNICORN_OPTIONS = ["--worker-class", "sync", "--timeout", "30", "--graceful-timeout", "5"]


def check_pages(base_url, warm_requests, session_cookie):
    """Every URL answers 200; warm each worker and the page cache; say which are cached.

    A page served from the cache repeats the Expires header of the response that filled
    the cache, so a second fetch a second later shows whether the cache is being hit.
    Signed-in pages are never cached; they must answer 200 to the session, not send it to
    sign in.
    """
    first = {}
    for name, path in TARGETS.items():
        for _ in range(warm_requests):
            response = fetch(base_url + path)
            if response.status != 200:
                raise BenchError(f"{name} {path} answered {response.status}, not 200.")
            first.setdefault(name, response.headers.get("Expires"))
    for name, path in SIGNED_IN_TARGETS.items():
        for _ in range(warm_requests):
            response = fetch(base_url + path, headers={"Cookie": session_cookie})
            if response.status != 200:
                raise BenchError(f"{name} {path} answered {response.status} to the signed-in member, not 200.")
    time.sleep(1.1)
    cached = {
        name: bool(first[name]) and fetch(base_url + path).headers.get("Expires") == first[name]
        for name, path in TARGETS.items()
    }
    return {**cached, **dict.fromkeys(SIGNED_IN_TARGETS, False)}


def member_credentials(env):
    """Give the demo member a new password and authenticator secret in the benchmark's
    database (each run signs in afresh; a code is good once); returns both."""
    password, script = (
        secrets.token_urlsafe(16),
        (
            "import os; from django.contrib.auth import get_user_model; "
            "from allauth.mfa.models import Authenticator; "
            "from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret; "
            f"user = get_user_model().objects.get(email={MEMBER_EMAIL!r}); "
            "user.set_password(os.environ['BENCH_MEMBER_PASSWORD']); user.save(); "
            "Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete(); "
            "secret = generate_totp_secret(); TOTP.activate(user, secret); print('SECRET', secret)"
        ),
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={**env, "BENCH_MEMBER_PASSWORD": password},
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0 or "SECRET " not in completed.stdout:
        raise BenchError(f"Could not set the demo member's sign-in:\n{(completed.stdout + completed.stderr)[-3000:]}")
    return password, completed.stdout.split("SECRET ", 1)[1].split()[0]


# Load ----------------------------------------------------------------------------------


def measure(server, settings, cached, session_cookie):
    """Load each URL in turn: the minimal view first, and again last; the signed-in pages
    after the anonymous ones, the signed-in minimal view first among them.

    The machine may be busy with other work. Measuring the minimal view at both ends
    shows whether its speed held, and the CPU time other processes took during each run
    shows whether anything competed; ratios are to the mean of the two minimal runs, and
    for signed-in pages to the signed-in minimal view.
    """
    database = urlsplit(settings.database_url).path.lstrip("/")
    results = []
    runs = [(name, TARGETS[name], False) for name in TARGETS]
    runs += [(name, path, True) for name, path in SIGNED_IN_TARGETS.items()]
    runs.append((MINIMAL, TARGETS[MINIMAL], False))
    for name, path, signed_in in runs:
        repeat = any(result.name == name for result in results)
        print(f"  {name:<22} {path}{' (again)' if repeat else ''}{' (signed in)' if signed_in else ''}")
        before = cpu_snapshot(server.pid, database)
        output = run_wrk(
            server.base_url + path,
            threads=settings.threads,
            connections=settings.connections,
            seconds=settings.seconds,
            headers={"Cookie": session_cookie} if signed_in else None,
        )
        figures = parse_wrk(output)
        other = other_share(before, cpu_snapshot(server.pid, database))
        results.append(
            Result(
                name,
                path,
                served_from_cache=cached[name],
                other_cpu_share=other,
                repeat=repeat,
                signed_in=signed_in,
                **figures,
            )
        )
    baseline = statistics.mean(minimal_runs(results))
    signed_in_baseline = find(results, SIGNED_IN_MINIMAL).requests_per_second
    for result in results:
        base = signed_in_baseline if result.signed_in and result.name != SIGNED_IN_MINIMAL else baseline
        result.ratio_to_minimal = round(result.requests_per_second / base, 3)
    return results


def find(results, name):
    return next(result for result in results if result.name == name)


def minimal_runs(results):
    return [result.requests_per_second for result in results if result.name == MINIMAL]


# CPU used by other processes (Linux; figures are None elsewhere) -------------------------


@dataclass
class CpuSnapshot:
    """CPU ticks used so far: by the machine, and by each of the benchmark's processes."""

    all: int
    idle: int
    wrk: float  # finished child processes of this script: the wrk runs
    processes: dict  # pid: ticks, for gunicorn's processes and this database's backends


def cpu_snapshot(server_pid, database):
    try:
        with open("/proc/stat") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (used := _process_ticks(entry.name, server_pid, database)) is not None:
            processes[entry.name] = used
    wrk = (children.ru_utime + children.ru_stime) * os.sysconf("SC_CLK_TCK")
    return CpuSnapshot(all=sum(ticks), idle=ticks[3] + ticks[4], wrk=wrk, processes=processes)


def _process_ticks(pid, server_pid, database):
    """Ticks used by a gunicorn process or a backend of this database; None for others."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read().decode(errors="replace")
    except OSError:  # the process has ended
        return None
    backend = command.startswith("postgres:") and f" {database} " in command
    return int(fields[11]) + int(fields[12]) if server_pid in (int(pid), int(fields[1])) or backend else None


def other_share(before, after):
    """Share of the CPU that processes other than the benchmark's used between two snapshots.

    A process that ended in between (a database connection reaching its maximum age) counts
    for nothing rather than taking its whole past with it.
    """
    if before is None or after is None:
        return None
    ours = after.wrk - before.wrk
    ours += sum(used - before.processes.get(pid, 0) for pid, used in after.processes.items())
    busy, elapsed = (after.all - after.idle) - (before.all - before.idle), max(after.all - before.all, 1)
    return round(max(0.0, (busy - ours) / elapsed), 2)


# Page weight ---------------------------------------------------------------------------


class _AssetLinks(HTMLParser):
    """Collects the stylesheets and scripts an HTML page loads."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.links.append(("css", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.links.append(("js", attrs["src"]))


_IMPORT = re.compile(r"""(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?\(?\s*["']([^"']+)["']""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def nested_links(kind, text):
    """Files a stylesheet or script pulls in itself: CSS @import, relative JS module imports."""
    if kind == "css":
        return [("css", href) for href in _CSS_IMPORT.findall(text)]
    return [("js", spec) for spec in _IMPORT.findall(text) if spec.startswith(("./", "../", "/"))]


def weigh(url, kind):
    """Bytes on the wire with gzip: as served, or gzipped here if the server sent it plain."""
    response = fetch(url, accept_encoding="gzip")
    if response.status != 200:
        raise BenchError(f"{url} answered {response.status}, not 200.")
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(response.body)
        asset = Asset(url, kind, len(body), len(response.body), "gzip, served")
    else:
        body = response.body
        compressed = min(len(body), len(gzip.compress(body, compresslevel=6)))
        asset = Asset(url, kind, len(body), compressed, "sent plain; gzip -6 here")
    return asset, body.decode("utf-8", errors="replace")


def page_weight(base_url, path):
    page_url = base_url + path
    html, text = weigh(page_url, "html")
    weight = PageWeight(url=page_url, assets=[html])
    parser = _AssetLinks()
    parser.feed(text)
    queue = [(kind, urljoin(page_url, href)) for kind, href in parser.links]
    seen = set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        asset, text = weigh(url, kind)
        weight.assets.append(asset)
        queue += [(nested_kind, urljoin(url, href)) for nested_kind, href in nested_links(kind, text)]
    return weight


# Report --------------------------------------------------------------------------------


def _kb(size):
    return f"{size / 1000:.1f} KB"


_HEADER = ["URL", "req/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "x minimal", "cached", "other CPU"]
_WIDTHS = [58, 7, 7, 7, 7, 7, 9, 6, 9]


def print_results(results, settings):
    print(
        f"\nwrk -t{settings.threads} -c{settings.connections} -d{settings.seconds}s against "
        f"gunicorn ({settings.workers} sync workers), DEBUG off, PostgreSQL\n"
    )
    rows = []
    for r in results:
        latency = [f"{r.latency_ms[p]:.2f}" for p in ("p50", "p90", "p99")]
        ratio, cached = f"{r.ratio_to_minimal:.2f}", "yes" if r.served_from_cache else "no"
        other = "?" if r.other_cpu_share is None else f"{r.other_cpu_share:.0%}"
        rows.append([r.label, f"{r.requests_per_second:.0f}", *latency, r.non_2xx_3xx, ratio, cached, other])
    print_table(_HEADER, rows, widths=_WIDTHS)
    print("(x minimal: to the anonymous minimal view; for signed-in pages, to the signed-in minimal view)")
    errors = sum(r.socket_errors for r in results)
    if errors:
        print(f"(wrk counted {errors} socket errors in all; see .bench/results.json)")


def print_noise(results):
    """Say whether the machine was quiet enough for the ratios to mean much."""
    first, last = minimal_runs(results)
    spread = abs(first - last) / statistics.mean([first, last])
    others = [r.other_cpu_share for r in results if r.other_cpu_share is not None]
    print(f"\nThe minimal view ran at {first:.0f} req/s first and {last:.0f} req/s last ({spread:.0%} apart).")
    if others:
        print(f'Other processes took up to {max(others):.0%} of the CPU during a run ("other CPU").')
    if spread > NOISE_LIMIT or max(others, default=0) > NOISE_LIMIT:
        print("Warning: the machine was not quiet; run again when it is before trusting the ratios.")


def print_weight(weight):
    print(f"\nPage weight of {urlsplit(weight.url).path} (HTML, CSS and JavaScript)\n")
    for asset in weight.assets:
        path = urlsplit(asset.url).path
        print(f"  {path:<62} {_kb(asset.raw_bytes):>10} {_kb(asset.compressed_bytes):>10}  {asset.compression}")
    print(f"  {'total':<62} {_kb(weight.raw_bytes):>10} {_kb(weight.compressed_bytes):>10}")


def verdicts(results, weight):
    guidance, search = find(results, GUIDANCE), find(results, SEARCH)
    signed_in_minimal = find(results, SIGNED_IN_MINIMAL)
    checks = [
        {
            "target": f"guidance page ≥ {THROUGHPUT_TARGET} x minimal view's requests/s",
            "value": f"{guidance.ratio_to_minimal:.2f} x",
            "passed": guidance.ratio_to_minimal >= THROUGHPUT_TARGET,
        },
        {
            "target": f"signed-in minimal view ≥ {SIGNED_IN_TARGET} x the anonymous minimal view's requests/s",
            "value": f"{signed_in_minimal.ratio_to_minimal:.2f} x",
            "passed": signed_in_minimal.ratio_to_minimal >= SIGNED_IN_TARGET,
        },
    ]
    for name in (DASHBOARD, GROUP_PAGE):
        page = find(results, name)
        checks += [
            {
                "target": f"{name} ≥ {MEMBERS_PAGE_TARGET} x the signed-in minimal view's requests/s",
                "value": f"{page.ratio_to_minimal:.2f} x",
                "passed": page.ratio_to_minimal >= MEMBERS_PAGE_TARGET,
            },
            {
                "target": f"{name} ≥ {MEMBERS_PAGE_FLOOR} requests/s",
                "value": f"{page.requests_per_second:.0f} requests/s",
                "passed": page.requests_per_second >= MEMBERS_PAGE_FLOOR,
            },
        ]
    return [
        *checks,
        {
            "target": f"public search ≥ {SEARCH_TARGET} x minimal view's requests/s",
            "value": f"{search.ratio_to_minimal:.2f} x",
            "passed": search.ratio_to_minimal >= SEARCH_TARGET,
        },
        {
            "target": f"guidance page weight ≤ {_kb(WEIGHT_BUDGET)} compressed",
            "value": _kb(weight.compressed_bytes),
            "passed": weight.compressed_bytes <= WEIGHT_BUDGET,
        },
    ]


def print_verdicts(checks):
    print()
    for check in checks:
        print(f"{'PASS' if check['passed'] else 'FAIL'}  {check['target']}: {check['value']}")


def write_json(settings, results, weight, checks, started, elapsed):
    report = {
        "started": started.isoformat(timespec="seconds"),
        "duration_seconds": round(elapsed, 1),
        "settings": {
            **asdict(settings),
            "database_url": safe_database_url(settings.database_url),
            "redis_url": os.environ.get("REDIS_URL", "not set"),
            "cache_url": os.environ.get("CACHE_URL", "REDIS_URL, else dbcache (default)"),
            "page_cache_url": os.environ.get("PAGE_CACHE_URL", "REDIS_URL's next database, else files"),
        },
        "results": [asdict(result) for result in results],
        "page_weight": {
            "url": weight.url,
            "raw_bytes": weight.raw_bytes,
            "compressed_bytes": weight.compressed_bytes,
            "assets": [asdict(asset) for asset in weight.assets],
        },
        "targets": checks,
    }
    return write_results("results.json", report)


# Main ----------------------------------------------------------------------------------


def run():
    started, clock = datetime.now(UTC), time.monotonic()
    settings = read_settings()
    ensure_wrk()
    ensure_database(settings.database_url)
    env = site_environment(settings.database_url)
    print("Preparing the site:")
    prepare_site(env)
    password, totp_secret = member_credentials(env)
    print(f"Serving with gunicorn ({settings.workers} workers); {settings.seconds}s of load per URL:")
    start_timeout = positive_setting("BENCH_START_SECONDS", 30)  # more on a busy machine
    with gunicorn(env, workers=settings.workers, options=GUNICORN_OPTIONS, start_timeout=start_timeout) as server:
        session_cookie = sign_in(server.base_url, MEMBER_EMAIL, password, totp_secret)
        cached = check_pages(server.base_url, warm_requests=2 * settings.workers, session_cookie=session_cookie)
        results = measure(server, settings, cached, session_cookie)
        weight = page_weight(server.base_url, TARGETS[GUIDANCE])
    checks = verdicts(results, weight)
    print_results(results, settings)
    print_noise(results)
    print_weight(weight)
    print_verdicts(checks)
    elapsed = time.monotonic() - clock
    path = write_json(settings, results, weight, checks, started, elapsed)
    print(f"\nTook {elapsed:.0f}s. Figures written to {path}.")


if __name__ == "__main__":
    run_main(run)
