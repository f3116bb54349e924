"""Security matrix row A11: long passphrases welcome, short and common passwords refused."""

import pytest

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.accounts import PASSWORD, make_account, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Short7!", False),
        ("elevenchars", False),
        ("password1234", False),  # in Django's list of common passwords
        ("123456789012", False),  # numbers only
        ("fifteen-chars-ok", True),
        ("tramlines blue kettle", True),
        ("x" * 20 + "correct horse battery staple " + "y" * 15, True),  # 64 characters
        ("pässwörd mit ümlauten und leerzeichen", True),
    ],
)
def test_password_rules(password, accepted):
    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_similar_to_the_email_is_refused():
    from django.contrib.auth import get_user_model

    user = get_user_model()(username="samantha.jones", email="samantha.jones@example.org")
    with pytest.raises(ValidationError):
        validate_password("samantha.jones", user)


def test_unicode_and_spaces_are_kept_exactly(client, home_page):
    user, secret = make_account()
    sign_in(client, user, secret)
    new = "  Grüße aus Cumbria – mit Leerzeichen  "  # noqa: RUF001  (a real en dash, on purpose)
    response = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert not user.check_password(new.strip())
