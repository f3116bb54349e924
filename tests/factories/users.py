"""Accounts: users made as production makes them, with an authenticator app (MFA) by default."""

import factory

from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def make_editor(*, mfa=True, **user_fields):
    """A member of the coordinating organisation's staff (the Editors group), with an
    authenticator app unless `mfa=False`."""
    from django.contrib.auth.models import Group

    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return with_authenticator(user) if mfa else user


def make_administrator(*, mfa=True, **user_fields):
    """A superuser, with an authenticator app unless `mfa=False`."""
    user = UserFactory(is_superuser=True, is_staff=True, **user_fields)
    return with_authenticator(user) if mfa else user


def with_authenticator(user):
    """Give `user` an authenticator app, as every account needs before using the site."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import is_mfa_enabled

    if not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    return user
