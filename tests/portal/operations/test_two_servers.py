"""The portal on two app servers, as it is deployed past one machine.

Two gunicorn servers (A and B, on two loopback ports) and two task workers
(`manage.py db_worker`) share one PostgreSQL database, one Redis (a database number of
its own: the shared cache and sessions, and the next number for the page cache), one
S3-compatible bucket (moto's server, on a loopback port) and one SMTP server (aiosmtpd,
in this process). Nothing a second server needs may live in a process or a local file:

- publishing on A changes the anonymous copy B serves from the page cache at once;
- a session made on A works on B, and quick exit on B ends it everywhere;
- the sign-in and feedback rate limits count requests to both servers together;
- each email is sent once, with two workers taking tasks from one queue;
- a document uploaded through A downloads through B.

The servers run once for the module against a database of its own (created, migrated and
dropped here; `<DATABASE_URL's name>_two_servers`), so the tests talk to them over HTTP
only. Needs PostgreSQL (DATABASE_URL) and Redis (TEST_REDIS_URL, default
redis://127.0.0.1:6379/13); skipped, saying which is missing, without them.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from bench.feedback import Sink
from bench.harness import (
    BASE_DIR,
    HOST,
    BenchError,
    drop_database,
    free_port,
    recreate_database,
    site_environment,
    stop,
    wait_until_live,
)
from tests.accounts import PASSWORD, totp_code

TIMEOUT = 120  # seconds for any one thing to happen on a busy two-core machine
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
BUCKET = "portal-two-servers"
PUBLIC_HOST = "localhost"  # what the load balancer passes on as Host, to either server
OLD_TITLE, NEW_TITLE = "What to do", "What to do next"
FEEDBACK_RECIPIENTS = ["team@example.org", "safeguarding@example.org", "lead@example.org"]


def _database_url():
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        return None
    parts = urlsplit(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{parts.path.lstrip('/')}_two_servers{('_' + worker) if worker else ''}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def _redis_problem():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        return f"{error.__class__.__name__}: {error}"
    return None


def _redis_databases():
    """The two Redis databases the servers use: REDIS_URL's and the page cache's (the next)."""
    import redis

    parts = urlsplit(REDIS_URL)
    number = int(parts.path.strip("/") or 0)
    return [redis.Redis.from_url(urlunsplit(parts._replace(path=f"/{n}"))) for n in (number, number + 1)]


# The site's content, made in the servers' database by a subprocess -----------------------


def seed():
    """Run inside `manage.py shell`: the pages and accounts the tests use; returns their details."""
    from tests.accounts import make_account
    from tests.factories import (
        FeedbackFormPageFactory,
        GuidanceIndexPageFactory,
        GuidancePageFactory,
        MembersAreaIndexPageFactory,
        OrganisationFactory,
        WorkingGroupPageFactory,
        make_member,
        make_site,
    )

    home = make_site()
    guidance = GuidancePageFactory(
        parent=GuidanceIndexPageFactory(parent=home, slug="guidance"), slug="what-to-do", title=OLD_TITLE
    )
    draft = guidance.get_latest_revision_as_object()
    draft.title = NEW_TITLE
    draft.save_revision()  # a draft waiting to be published on server A
    feedback = FeedbackFormPageFactory(parent=home, to_address=", ".join(FEEDBACK_RECIPIENTS))
    group = WorkingGroupPageFactory(parent=MembersAreaIndexPageFactory(parent=home), region="cumbria")
    secrets = {}
    for name in ("publisher", "uploader"):
        _, secrets[name] = make_account(f"{name}@example.org", is_staff=True, is_superuser=True)
    for name in ("member", "kept"):
        member, secrets[name] = make_account(f"{name}@example.org")
        make_member(group, user=member, organisation=OrganisationFactory())
    make_account("target@example.org")
    return {
        "guidance_url": guidance.url,
        "guidance_id": guidance.pk,
        "feedback_url": feedback.url,
        "group_url": group.url,
        "collection_id": group.collection_id,
        "secrets": secrets,
    }


SEED = "import json; from tests.portal.operations.test_two_servers import seed; print('SEEDED ' + json.dumps(seed()))"


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result.stdout


# A browser behind the load balancer: cookies (shared by both servers, as a browser shares
# them across ports of one host), no redirects followed, one forwarded address, and the one
# public host name whichever server answers (allauth keys the per-account sign-in limit by
# host and address, as a load balancer keeps the Host header) ---------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode(errors="replace")


class Browser:
    def __init__(self, address):
        self.address = address  # the X-Forwarded-For the one trusted proxy would send
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects)

    def request(self, url, data=None, *, headers=None, content_type=None):
        assert urlsplit(url).hostname == HOST
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-For": self.address, **(headers or {})}
        if isinstance(data, dict):
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf_token(), **data}).encode()
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (127.0.0.1 only)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    get = request

    def post(self, url, data):
        return self.request(url, data)

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def csrf_token(self):
        token = self.cookie("csrftoken")
        assert token, "no CSRF cookie yet: load a page with a form first"
        return token

    def sign_in(self, server, email, secret):
        """Both steps, as a person would: password, then the authenticator's code."""
        assert self.get(server + "/accounts/login/").status == 200
        answer = self.post(server + "/accounts/login/", {"login": email, "password": PASSWORD})
        assert answer.status == 302, answer.text[:500]
        assert self.get(server + answer.headers["Location"]).status == 200
        answer = self.post(server + "/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert answer.status == 302, answer.text[:500]


def _address():
    """A documentation address (TEST-NET-2) of its own for each browser, so that the
    per-address limits of one test do not touch another's."""
    number = uuid.uuid4().int
    return f"198.51.{number % 250}.{number // 250 % 250 + 1}"


# The cluster ----------------------------------------------------------------------------


@dataclass
class Cluster:
    a: str
    b: str
    database_url: str
    sink: Sink
    s3: object
    media_root: Path
    site: dict
    env: dict

    def query(self, sql, params=()):
        url = urlunsplit(urlsplit(self.database_url)._replace(scheme="postgresql"))
        with psycopg.connect(url) as connection:
            return connection.execute(sql, params).fetchall()


def _start(command, env, log_path):
    with log_path.open("w") as log:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from aiosmtpd.controller import Controller

    from django.db import connection

    database_url = _database_url()
    if connection.vendor != "postgresql" or database_url is None:
        pytest.skip("the two-server test needs PostgreSQL: set DATABASE_URL=postgres://… (make test does on CI)")
    if problem := _redis_problem():
        pytest.skip(f"the two-server test needs Redis at {REDIS_URL} ({problem}): start redis-server")

    import boto3
    from moto.server import ThreadedMotoServer

    logs = tmp_path_factory.mktemp("two-servers")
    media_root = logs / "media"
    media_root.mkdir()
    s3_port, smtp_port = free_port(), free_port()
    moto = ThreadedMotoServer(ip_address=HOST, port=s3_port, verbose=False)
    sink = Sink()
    controller = Controller(sink, hostname=HOST, port=smtp_port)
    processes = []
    redis_databases = _redis_databases()
    moto.start()
    controller.start()
    try:
        for database in redis_databases:
            database.flushdb()
        credentials = {"AWS_ACCESS_KEY_ID": "two-servers-test", "AWS_SECRET_ACCESS_KEY": "two-servers-test"}
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{s3_port}",
            region_name="us-east-1",
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        )
        s3.create_bucket(Bucket=BUCKET)
        env = site_environment(
            database_url,
            REDIS_URL=REDIS_URL,
            EMAIL_URL=f"smtp://{HOST}:{smtp_port}",
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://{HOST}:{s3_port}",
            AWS_S3_REGION_NAME="us-east-1",
            DJANGO_MEDIA_ROOT=str(media_root),
            DJANGO_TRUSTED_PROXY_COUNT="1",
            FEEDBACK_MIN_SECONDS="0",
            OUTBOX_BACKOFF_SECONDS="1",
            OUTBOX_MAX_BACKOFF_SECONDS="2",
            DJANGO_LOG_LEVEL="WARNING",
            **credentials,
        )
        for variable in ("CACHE_URL", "PAGE_CACHE_URL"):
            env.pop(variable, None)
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # DEBUG off: hashed names
        seeded = manage(env, "shell", "-c", SEED)
        site = json.loads(seeded.split("SEEDED ", 1)[1])

        servers = []
        for name in ("a", "b"):
            port = free_port()
            command = [
                *[sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"{HOST}:{port}"],
                *["--workers", "1", "--timeout", "60", "--log-level", "warning"],
            ]
            log_path = logs / f"server-{name}.log"
            processes.append(_start(command, env, log_path))
            servers.append((f"http://{HOST}:{port}", processes[-1], log_path))
        for name in ("1", "2"):
            command = [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ]
            processes.append(_start(command, env, logs / f"worker-{name}.log"))
        for base_url, process, log_path in servers:
            wait_until_live(process, base_url, log_path, timeout=TIMEOUT)
        yield Cluster(
            a=servers[0][0],
            b=servers[1][0],
            database_url=database_url,
            sink=sink,
            s3=s3,
            media_root=media_root,
            site=site,
            env=env,
        )
    except BenchError as error:
        pytest.fail(str(error))
    finally:
        for process in processes:
            stop(process)
        controller.stop()
        moto.stop()
        for database in redis_databases:
            database.flushdb()
        drop_database(database_url)


def wait_for(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {TIMEOUT}s waiting for {what}")
        time.sleep(0.1)


# The tests -------------------------------------------------------------------------------


def test_publishing_on_a_changes_the_anonymous_copy_on_b_at_once(cluster):
    page = cluster.site["guidance_url"]
    visitor = Browser(_address())
    first = visitor.get(cluster.b + page)
    assert first.status == 200 and OLD_TITLE in first.text and NEW_TITLE not in first.text
    pages_cache = _redis_databases()[1]
    assert pages_cache.keys("*cache_page*"), "B must have stored the anonymous copy in the shared page cache"
    assert visitor.get(cluster.a + page).text == first.text

    editor = Browser(_address())
    editor.sign_in(cluster.a, "publisher@example.org", cluster.site["secrets"]["publisher"])
    publish = f"{cluster.a}/admin/bulk/wagtailcore/page/publish/?id={cluster.site['guidance_id']}&next=/admin/"
    assert editor.get(publish).status == 200
    assert editor.post(publish, {}).status == 302

    now = visitor.get(cluster.b + page)
    assert now.status == 200
    assert NEW_TITLE in now.text


def test_a_session_made_on_a_works_on_b_and_quick_exit_on_b_ends_it(cluster):
    member = Browser(_address())
    member.sign_in(cluster.a, "member@example.org", cluster.site["secrets"]["member"])
    group = cluster.site["group_url"]
    assert member.get(cluster.a + group).status == 200
    on_b = member.get(cluster.b + group)
    assert on_b.status == 200, "the session made on A must work on B"
    assert "private" in on_b.headers["Cache-Control"]

    session_cookie = member.cookie("sessionid")
    leaving = member.get(cluster.b + "/exit/")
    assert leaving.status == 302
    assert member.cookie("sessionid") is None

    # The browser forgets its cookies (Clear-Site-Data); even one that kept the old cookie
    # gets nothing from either server: the session itself is gone.
    for server in (cluster.a, cluster.b):
        answer = Browser(_address()).get(server + group, headers={"Cookie": f"sessionid={session_cookie}"})
        assert answer.status == 302
        assert answer.headers["Location"].startswith("/accounts/login/")


def test_the_sign_in_limit_counts_wrong_passwords_on_both_servers(cluster):
    person = Browser(_address())
    assert person.get(cluster.a + "/accounts/login/").status == 200

    def attempt(server, password):
        return person.post(server + "/accounts/login/", {"login": "target@example.org", "password": password}).status

    codes = [attempt(server, "not the password") for server in (cluster.a, cluster.b, cluster.a, cluster.b, cluster.a)]
    assert codes == [200] * 5
    assert attempt(cluster.b, "not the password") == 429
    assert attempt(cluster.a, PASSWORD) == 429


FEEDBACK_ANSWERS = {
    "what_is_your_feedback_about": "A guidance page",
    "your_role": "Designated safeguarding lead",
    "your_region": "Cumbria",
    "your_message": "The guidance on reporting should mention Report Remove earlier.",
}
_HIDDEN = re.compile(r'<input[^>]*name="(feedback_ticket)"[^>]*value="([^"]*)"')


def send_feedback(browser, server, form_url):
    form = browser.get(server + form_url)
    assert form.status == 200
    ticket = dict(_HIDDEN.findall(form.text))
    return browser.post(server + form_url, {**FEEDBACK_ANSWERS, **ticket})


def test_the_feedback_limit_counts_both_servers_and_each_email_is_sent_once(cluster):
    sender = Browser(_address())
    form_url = cluster.site["feedback_url"]
    answers = [send_feedback(sender, server, form_url) for server in (cluster.a, cluster.b) * 3]

    assert [answer.status for answer in answers] == [302] * 5 + [429]

    def outbox():
        return cluster.query("SELECT uuid, status FROM portal_outboundemail")

    rows = outbox()
    assert len(rows) == 5 * len(FEEDBACK_RECIPIENTS)
    wait_for(lambda: {status for _, status in outbox()} == {"sent"}, "both workers to send every email")
    expected = {f"<outbox-{row_uuid}@portal.invalid>" for row_uuid, _ in rows}
    wait_for(lambda: len(cluster.sink.message_ids) >= len(expected), "the mail server to receive every email")
    with cluster.sink.lock:
        arrivals = Counter(cluster.sink.message_ids)
    assert set(arrivals) == expected
    assert max(arrivals.values()) == 1, "an email was sent twice"


def test_a_document_uploaded_through_a_downloads_through_b(cluster):
    from tests.sample_files import PDF

    content = PDF + f"\n% {uuid.uuid4()}\n".encode()
    uploader = Browser(_address())
    uploader.sign_in(cluster.a, "uploader@example.org", cluster.site["secrets"]["uploader"])
    assert uploader.get(cluster.a + "/admin/documents/add/").status == 200
    boundary = uuid.uuid4().hex
    fields = {
        "csrfmiddlewaretoken": uploader.csrf_token(),
        "title": "Minutes",
        "collection": str(cluster.site["collection_id"]),
    }
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="minutes.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    answer = uploader.request(
        cluster.a + "/admin/documents/add/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert answer.status == 302, answer.text[:1000]

    [(document_id, name)] = cluster.query("SELECT id, file FROM wagtaildocs_document WHERE title = 'Minutes'")
    stored = cluster.s3.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert stored == content, "the file must be in the bucket"
    assert not any(cluster.media_root.rglob("*.pdf")), "nothing kept on A's local disk"

    url = f"{cluster.b}/documents/{document_id}/{Path(name).name}"
    download = uploader.get(url)
    assert download.status == 200
    assert download.body == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    # Private: anyone else is sent to sign in, and no answer points at the bucket.
    anonymous = Browser(_address()).get(url)
    assert anonymous.status == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")


def test_a_change_made_in_another_process_reaches_a_person_signed_in_on_b_at_once(cluster):
    """B keeps the signed-in person in the shared cache (portal.auth); a change made by
    any other process, here a shell on the operator's machine, clears it for every server."""
    person = Browser(_address())
    person.sign_in(cluster.a, "kept@example.org", cluster.site["secrets"]["kept"])
    group = cluster.site["group_url"]
    assert person.get(cluster.b + group).status == 200
    assert person.get(cluster.b + group).status == 200  # B kept the person from Redis

    remove = (
        "from allauth.mfa.models import Authenticator;"
        " Authenticator.objects.filter(user__email='kept@example.org').delete()"
    )
    manage(cluster.env, "shell", "-c", remove)
    answer = person.get(cluster.b + group)
    assert answer.status == 302
    assert answer.headers["Location"].startswith("/accounts/2fa/totp/activate/")
