"""A form field's help text is shown as its hint, and every id its input's
aria-describedby names is on the page, however the field is drawn."""

import pytest
from allauth.account.forms import ChangePasswordForm, LoginForm

from django.template import Context, Template

from tests.html import soup

pytestmark = pytest.mark.django_db


class Rendered:
    def __init__(self, html):
        self.content = html.encode()


def described_ids(html):
    page = soup(Rendered(html))
    return page, [name for element in page.select("[aria-describedby]") for name in element["aria-describedby"].split()]


@pytest.mark.parametrize(
    ("form", "field", "hint"),
    [
        (LoginForm(), "password", "Forgot your password?"),
        (ChangePasswordForm(user=None), "password1", "Your password must contain at least"),
    ],
    ids=["sign in", "change password"],
)
def test_the_help_text_is_the_hint_and_what_describes_the_input_exists(form, field, hint):
    for html in (form[field].as_field_group(), str(form)):
        page, ids = described_ids(html)
        assert ids, "the input is described by nothing"
        for name in ids:
            assert page.find(id=name) is not None, f"aria-describedby names {name}, which is not on the page"
        assert hint in page.find(id=f"id_{field}_helptext").get_text()


def test_a_hint_given_by_the_page_replaces_the_help_text():
    form = LoginForm()
    html = Template('{% load portal_tags %}{% govuk_field form.password hint="Case matters." %}').render(
        Context({"form": form})
    )
    page, ids = described_ids(html)
    assert page.find(id="id_password_helptext").get_text() == "Case matters."
    assert ids == ["id_password_helptext"]
