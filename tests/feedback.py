"""Helpers for the feedback tests: posting to a feedback form as a person would."""

from home.antispam import TICKET_FIELD
from tests.factories import feedback_answers, feedback_ticket


def post_feedback(client, page, ticket=None, **answers):
    """POST the standard answers (overridden by `answers`; HTTP_* keys are request headers)."""
    headers = {key: answers.pop(key) for key in list(answers) if key.startswith("HTTP_")}
    data = {**feedback_answers(**answers), TICKET_FIELD: ticket or feedback_ticket()}
    return client.post(page.url, {key: value for key, value in data.items() if value is not None}, **headers)
