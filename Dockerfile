# The Working Group Portal's image: gunicorn serving Django and Wagtail, static files
# served by WhiteNoise. The same image runs the background worker (manage.py db_worker).
# docker-compose.yml puts it together with PostgreSQL and a mail catcher.
# The built CSS and GOV.UK Frontend's JavaScript are in the repository (`make assets`
# rebuilds them, `make lint` checks them against their sources), so no Node.js stage.

# Debian 13 (trixie) named, not left to the tag's default: its postgresql-client (17) is
# what backs up the database (pg_dump must be as new as the server).
FROM python:3.11-slim-trixie

# gunicorn reads WEB_CONCURRENCY and GUNICORN_CMD_ARGS, so `docker run` and compose can
# tune them. Sync workers suit short requests behind a buffering proxy; about two per
# core, plus one. The access log goes to stdout without client addresses or query
# strings: search terms can say a lot about someone in trouble.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS="--bind=0.0.0.0:8000 --timeout=30 --graceful-timeout=30 --max-requests=2000 --max-requests-jitter=200 --worker-tmp-dir=/dev/shm --access-logfile=- --access-logformat='%(t)s %(m)s %(U)s %(s)s %(b)s %(M)sms'"

WORKDIR /app

# pg_dump and pg_restore, for `manage.py backup` and `manage.py restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin portal

# The runtime lock only: tests, browsers, linters and benchmarks stay out of the image.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# Settings insist on a secret key whenever DEBUG is off; collectstatic needs no real one,
# and this one is not kept in the image's environment.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/backups \
    && chown portal:portal /app/media /app/backups

USER portal
EXPOSE 8000

# Ready = the process reaches its database, cache and storage, the worker's heartbeat is
# recent and no email waits too long (see docs/operations.md). The Host header must be one
# the site accepts, and behind a TLS proxy (DJANGO_BEHIND_PROXY) the request must look
# like HTTPS, or Django would redirect it. A redirect or any other answer counts as unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import http.client, os, sys; host = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost'); c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=4); c.request('GET', '/health/ready/', headers={'Host': host, 'X-Forwarded-Proto': 'https'}); sys.exit(c.getresponse().status != 200)"]

CMD ["gunicorn", "portal.wsgi:application"]
