"""What the benchmarks share: a throwaway PostgreSQL database, the site under gunicorn,
HTTP to 127.0.0.1 only, wrk load runs and the results files.

Every server this harness starts listens on 127.0.0.1, and `fetch` refuses any other
host, so a benchmark can never send its load anywhere else. Results go to `.bench/`
(ignored by git).
"""

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

import django

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT_DIR = BASE_DIR / ".bench"
HOST = "127.0.0.1"
LIVE_PATH = "/health/live/"  # answers without touching the database: the site is up

SETUP_COMMANDS = [
    ["migrate", "--noinput", "--verbosity", "0"],
    ["collectstatic", "--noinput", "--verbosity", "0"],
    ["load_demo_content"],
    # Pages cached by an earlier run may predate changes to templates or assets.
    ["shell", "-c", "from portal.cache import clear_page_cache; clear_page_cache()"],
]
BUILT_ASSET = BASE_DIR / "portal" / "static" / "portal" / "css" / "portal.css"


class BenchError(Exception):
    """The benchmark could not run: the site did not set up, start or answer."""


def positive_setting(name, default):
    """A positive whole number from the environment variable `name`, or `default`."""
    value = os.environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise BenchError(f"{name} must be a positive whole number, not {value!r}.")
    return int(value)


def run_main(run):
    """Run a benchmark's `run()`; a BenchError is reported in one line and exits with 1.

    Returns what `run()` returned."""
    try:
        return run()
    except BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        sys.exit(1)


# PostgreSQL ----------------------------------------------------------------------------


def _postgres_parts(database_url):
    """(URL of the `postgres` maintenance database on the same server, database name)."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise BenchError(f"The benchmark runs against PostgreSQL; the database URL is {parts.scheme}://…")
    return urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, "")), parts.path.lstrip("/")


def _maintenance(database_url, statements):
    maintenance, name = _postgres_parts(database_url)
    parts = urlsplit(database_url)
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            for statement in statements(connection, sql.Identifier(name), name):
                connection.execute(statement)
    except psycopg.OperationalError as error:
        raise BenchError(f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432}: {error}") from error


def ensure_database(database_url):
    """Create the database `database_url` names if it does not exist yet."""

    def statements(connection, identifier, name):
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name}…")
            yield sql.SQL("CREATE DATABASE {}").format(identifier)

    _maintenance(database_url, statements)


def recreate_database(database_url):
    """Drop the database `database_url` names (with its connections) and create it empty."""

    def statements(connection, identifier, name):
        yield sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier)
        yield sql.SQL("CREATE DATABASE {}").format(identifier)

    _maintenance(database_url, statements)


def drop_database(database_url):
    def statements(connection, identifier, name):
        yield sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier)

    _maintenance(database_url, statements)


def count(database_url, query):
    """The single number a `SELECT count(*) …` query returns."""
    with psycopg.connect(urlunsplit(urlsplit(database_url)._replace(scheme="postgresql"))) as connection:
        return connection.execute(query).fetchone()[0]


def safe_database_url(database_url):
    """The URL without any user name or password, for reports."""
    parts = urlsplit(database_url)
    netloc = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""
    return urlunsplit(parts._replace(netloc=netloc))


# The site ------------------------------------------------------------------------------


def site_environment(database_url, **extra):
    """The environment for manage.py and gunicorn: production settings, plain local HTTP."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        **extra,
    }


def prepare_site(env):
    """Migrate, collect static files, load the demo content and clear the page cache."""
    if not BUILT_ASSET.exists():
        raise BenchError("The front end is not built: run `make assets`.")
    for command in SETUP_COMMANDS:
        print(f"  manage.py {command[0]}")
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, capture_output=True, text=True
        )
        if completed.returncode != 0:
            output = (completed.stdout + completed.stderr).strip()
            raise BenchError(f"manage.py {command[0]} failed:\n{output[-3000:]}")


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    base_url: str
    pid: int


@contextmanager
def gunicorn(env, *, workers, options, log_name="gunicorn.log", start_timeout=30):
    """Serve the site on a free local port for the duration of the block, then stop it.

    `options` are gunicorn's own (worker class, threads, timeouts); the server log goes to
    `.bench/<log_name>`. Starting may take `start_timeout` seconds on a busy machine.
    """
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    OUTPUT_DIR.mkdir(exist_ok=True)
    log_path = OUTPUT_DIR / log_name
    command = [
        *[sys.executable, "-m", "gunicorn", "portal.wsgi:application"],
        *["--bind", f"{HOST}:{port}", "--workers", str(workers), *options, "--log-level", "warning"],
    ]
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            wait_until_live(server, base_url, log_path, timeout=start_timeout)
            yield Server(base_url, server.pid)
        finally:
            stop(server)


def stop(process, timeout=15):
    """Terminate a child process, and kill it if it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_live(server, base_url, log_path, timeout=30):
    deadline, answer = time.monotonic() + timeout, "nothing"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited at start:\n{log_path.read_text()[-3000:]}")
        try:
            status = fetch(base_url + LIVE_PATH).status
        except OSError:  # not listening yet
            status = None
        if status == 200:
            return
        answer = f"status {status}" if status else answer
        time.sleep(0.2)
    raise BenchError(f"{LIVE_PATH} answered {answer} within {timeout}s, not 200; see {log_path}")


# HTTP ----------------------------------------------------------------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to report, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirects)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def fetch(url, accept_encoding="identity", headers=None):
    """GET `url` (on 127.0.0.1 only) with extra `headers`, e.g. a session's Cookie."""
    if urlsplit(url).hostname != HOST:
        raise BenchError(f"Refusing to request {url}: the benchmark only talks to {HOST}.")
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept_encoding, **(headers or {})})  # noqa: S310
    try:
        with _opener.open(request, timeout=10) as response:
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())


# Signing in ----------------------------------------------------------------------------

_CSRF_INPUT = re.compile(r'<input[^>]*name="csrfmiddlewaretoken"[^>]*value="([^"]+)"')


def totp_now(secret, period=30, digits=6):
    """The code an authenticator app shows now for a base32 `secret` (RFC 6238, SHA-1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // period)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def sign_in(base_url, email, password, totp_secret):
    """Sign in as a person would (the password, then the authenticator's code) and return
    the Cookie header that carries the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)

    def send(path, data=None):
        if urlsplit(base_url).hostname != HOST:
            raise BenchError(f"Refusing to sign in at {base_url}: the benchmark only talks to {HOST}.")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base_url + path, data=body, headers={"Referer": base_url + path})  # noqa: S310
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    steps = [("/accounts/login/", {"login": email, "password": password})]
    steps.append(("/accounts/2fa/authenticate/", None))  # the code is read when this step comes
    for path, data in steps:
        status, _, html = send(path)
        token = _CSRF_INPUT.search(html)
        if status != 200 or token is None:
            raise BenchError(f"Signing in: {path} answered {status} without a form.")
        fields = data if data is not None else {"code": totp_now(totp_secret)}
        status, _, _ = send(path, {"csrfmiddlewaretoken": token.group(1), **fields})
        if status != 302:
            raise BenchError(f"Signing in: posting to {path} answered {status}, not a redirect.")
    session = next((cookie for cookie in jar if cookie.name in ("sessionid", "__Host-sessionid")), None)
    if session is None:
        raise BenchError("Signing in gave no session cookie.")
    return f"{session.name}={session.value}"


# Load with wrk -------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise BenchError("wrk is needed: install it with `sudo apt-get install wrk`.")
    print("Installing wrk from Debian…")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True)  # noqa: S607
        if subprocess.run(install, capture_output=True).returncode != 0:  # noqa: S603
            raise BenchError("Could not install wrk with apt-get; install it and run again.")


def run_wrk(url, *, threads, connections, seconds, headers=None):
    """Load `url` with wrk; `headers` (e.g. a session's Cookie) go with every request."""
    if urlsplit(url).hostname != HOST:
        raise BenchError(f"Refusing to load {url}: the benchmark only talks to {HOST}.")
    command = [
        *["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"],
        *[argument for name, value in (headers or {}).items() for argument in ("-H", f"{name}: {value}")],
        *["--timeout", "5s", "--latency", url],
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)  # noqa: S603
    if completed.returncode != 0 or "Requests/sec" not in completed.stdout:
        raise BenchError(f"wrk failed on {url}:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return round(float(number) * _TIME_UNITS_MS[unit], 3)


def parse_wrk(output):
    """Requests per second, latency percentiles, request and error counts from wrk's output."""

    def number(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.group(1) if match else None

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests_per_second": float(number(r"^Requests/sec:\s+([\d.]+)")),
        "latency_ms": {f"p{p}": _milliseconds(number(rf"^\s+{p}%\s+(\S+)")) for p in (50, 90, 99)},
        "requests": int(number(r"^\s+(\d+) requests in")),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses:\s+(\d+)") or 0),
        "socket_errors": sum(int(count) for count in socket_errors.groups()) if socket_errors else 0,
    }


# Reports -------------------------------------------------------------------------------


def print_table(header, rows, *, widths):
    """Rows under a header and a rule; the first column left-aligned, the others right.

    `widths` gives each column's width."""
    formats = [f"{{:<{widths[0]}}}", *(f"{{:>{width}}}" for width in widths[1:])]
    line = " ".join(formats)
    title = line.format(*header)
    print(title)
    print("-" * len(title))
    for row in rows:
        print(line.format(*(str(cell) for cell in row)))


def write_results(filename, report):
    """Write `report` as JSON to .bench/<filename>; returns the path relative to the repository."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    path = OUTPUT_DIR / filename
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path.relative_to(BASE_DIR)


def setup_django():
    """Set up Django in this process (for benchmarks that call the code directly), with
    a secret key of their own and Wagtail's per-page log lines silenced."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key")
    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)  # not a line per page created
