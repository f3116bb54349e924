"""Keeping spam out of feedback without any third-party service.

- A honeypot: a field people never see (hidden from sight, screen readers and the tab
  order) that bots fill in. A filled one gets a convincing confirmation and nothing is
  stored or sent.
- A signed ticket in every rendered form (django.core.signing): a random form token and
  the time the form was rendered. A form sent back sooner than a person could fill it
  in, or with a ticket that was tampered with or has expired, is refused politely and
  can be sent again (nothing typed is lost). The token makes a double submit store one
  submission (a unique column), and it is unforgeable, so nobody can guess another's.
- A per-address rate limit, counted by allauth's rate-limit machinery in the shared
  cache (so it holds across workers), behind ALLAUTH_TRUSTED_PROXY_COUNT proxies.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.core.internal import ratelimit as allauth_ratelimit

from django.conf import settings
from django.core import signing

from portal.audit import client_ip

logger = logging.getLogger("portal.feedback")

TICKET_FIELD = "feedback_ticket"
HONEYPOT_FIELD = "your_website"
_SALT = "home.feedback.ticket"


@dataclass(frozen=True)
class Ticket:
    """What a rendered form's signed ticket says, once checked."""

    value: str
    token: uuid.UUID | None
    problem: str = ""  # "", "missing", "tampered", "expired" or "too_fast"

    @property
    def ok(self):
        return not self.problem


def ticket_issue():
    """A new signed ticket for a form being rendered now."""
    return signing.dumps({"token": str(uuid.uuid4()), "at": time.time()}, salt=_SALT, compress=True)


def ticket_check(value):
    """Check a ticket sent back with a form: intact, not expired, and not too fast."""
    if not value:
        return Ticket(value="", token=None, problem="missing")
    try:
        data = signing.loads(value, salt=_SALT, max_age=settings.FEEDBACK_FORM_MAX_AGE_SECONDS)
        token = uuid.UUID(data["token"])
        rendered_at = float(data["at"])
    except signing.SignatureExpired:
        return Ticket(value=value, token=None, problem="expired")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Ticket(value=value, token=None, problem="tampered")
    if time.time() - rendered_at < settings.FEEDBACK_MIN_SECONDS:
        return Ticket(value=value, token=token, problem="too_fast")
    return Ticket(value=value, token=token)


def honeypot_filled(post):
    return bool(post.get(HONEYPOT_FIELD, "").strip())


def rate_limit_consume(request):
    """Count one feedback POST from this address; False once over the limit (FEEDBACK_RATE_LIMIT).

    allauth's public `consume` lets every GET through, so its internal one is asked with
    `limit_get` (feedback is only ever recorded on a POST, but the limit is counted the
    same whatever the method).
    """
    usage = allauth_ratelimit.consume(request, app="allauth.account", action="feedback", limit_get=True)
    return bool(usage)


def cross_site(request):
    """True when the browser says a POST comes from another site's page: by Sec-Fetch-Site,
    which every current browser sends, or else by the Origin header's host. For the one
    form that cannot carry a CSRF token (home.views.page_feedback_useful)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.get_host()


def log_refusal(request, reason):
    """One line per refused submission, with the address but nothing that was typed."""
    logger.info("feedback refused reason=%s ip=%s route=%s", reason, client_ip(request), request.path)


def confirmation_sign(reference):
    """A value for the confirmation URL that shows `reference` to whoever sent it, and to nobody else."""
    return signing.dumps({"ref": reference}, salt="home.feedback.sent")


def confirmation_read(value):
    """The reference a confirmation URL carries, or None if it is forged or a day old."""
    try:
        return signing.loads(value or "", salt="home.feedback.sent", max_age=86_400)["ref"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
