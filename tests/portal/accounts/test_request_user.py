"""A signed-in request loads the person and whether they have MFA in one query
(portal.auth), and a lost authenticator still sends them to set one up."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import make_member, with_authenticator

pytestmark = pytest.mark.django_db


def test_the_person_and_their_mfa_in_one_query(client, cumbria, django_assert_max_num_queries):
    client.force_login(with_authenticator(make_member(cumbria)))
    with django_assert_max_num_queries(30) as captured:
        assert client.get("/members/").status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert len([query for query in sql if '"mfa_authenticator"' in query]) == 1
    assert any('FROM "auth_user"' in query and '"mfa_authenticator"' in query for query in sql)


def test_an_authenticator_removed_is_noticed_on_the_next_request(client, cumbria):
    member = with_authenticator(make_member(cumbria))
    client.force_login(member)
    assert client.get("/members/").status_code == 200
    Authenticator.objects.filter(user=member).delete()
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")
