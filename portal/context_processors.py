"""What every page's header needs to know about the person reading it."""

from django.utils.functional import SimpleLazyObject

from groups.models import Membership, WorkingGroupPage


def _member_groups(user):
    return list(
        WorkingGroupPage.objects.live()
        .filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE)
        .only("id", "title", "url_path")
        .order_by("title")
        .distinct()
    )


def account(request):
    """The signed-in person's groups and whether they use the admin, for the header.

    Lazy, so that pages whose header does not ask (and every anonymous page) run no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "header_groups": SimpleLazyObject(lambda: _member_groups(user)),
        "header_uses_admin": SimpleLazyObject(lambda: user.has_perm("wagtailadmin.access_admin")),
    }
