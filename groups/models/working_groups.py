"""The members' area: organisations, the regional working groups and who belongs to them.

`Membership` is the source of truth for who may see a group's area. Django groups, page
permissions and Wagtail's page privacy are derived from it by `groups.membership.services`, and
every page here checks membership again when it is served, so a missing or edited
restriction row never exposes a group's pages.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import models
from django.http import Http404
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from home.routing import child_page, kept_restrictions
from portal.page_protection import AdministratorOnlyFieldsPageForm

from ..enums import InvitationStatus, MembershipRole, MembershipStatus, OrganisationSector, Region

validate_domain = DomainNameValidator(accept_idna=False, message="“%(value)s” is not a domain name.")


def parse_email_domains(value):
    """The domains in a newline- or comma-separated list, lower-cased, without blanks."""
    return [domain.strip().lower() for domain in (value or "").replace(",", "\n").splitlines() if domain.strip()]


def validate_email_domains(value):
    errors = []
    for domain in parse_email_domains(value):
        if domain.startswith(("*", ".", "@")):
            errors.append(ValidationError(f"“{domain}”: give the exact domain, e.g. cumbria.police.uk."))
            continue
        try:
            validate_domain(domain)
        except ValidationError as error:
            errors.append(error)
        else:
            if "." not in domain:
                errors.append(ValidationError(f"“{domain}” is not a full domain name."))
    if errors:
        raise ValidationError(errors)


# django-stubs cannot type the reverse manager of ActionItem.owner_organisation: ActionItem's
# base (Wagtail's Orderable) ships no types, so the plugin finds no default manager on it.
class Organisation(models.Model):  # type: ignore[django-manager-missing]
    """An agency whose staff take part in the working groups.

    Its email domains say which addresses belong to it; they match exactly, never a
    parent domain, so `nhs.net` does not vouch for `someone.nhs.net.example.com` nor the
    other way round.
    """

    Sector = OrganisationSector

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    email_domains = models.TextField(
        blank=True,
        validators=[validate_email_domains],
        help_text="One per line, e.g. cumbria.police.uk. Only exact matches count: subdomains must be listed too.",
    )

    panels = [FieldPanel("name"), FieldPanel("sector"), FieldPanel("email_domains")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.email_domains = "\n".join(dict.fromkeys(parse_email_domains(self.email_domains)))

    @property
    def domains(self):
        return parse_email_domains(self.email_domains)

    def accepts_email(self, email):
        """Whether an address is at one of this organisation's domains (exactly)."""
        _, at, domain = (email or "").rpartition("@")
        return bool(at) and domain.strip().lower() in self.domains


class PrivatePagePermissionTester(PagePermissionTester):
    """Page permissions for the members' area, where privacy is set by code alone.

    Nobody, superusers included, may change a private page's view restriction in the
    admin: `groups.membership.services.working_group_setup` owns it. Only administrators may delete,
    move, copy or unpublish the members' area or a working group's own page, so a
    coordinator cannot take the whole area (and its memberships) away; their name,
    address and schedule are fixed by the pages' form (portal.page_protection).
    """

    def can_set_view_restrictions(self):
        return False

    def _is_group_root(self):
        return self.page.specific_class in (WorkingGroupPage, MembersAreaIndexPage)

    def can_delete(self, ignore_bulk=False):
        # Wagtail's can_move() asks this too, so moving is refused with deleting.
        if self._is_group_root() and not self.user.is_superuser:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        if self._is_group_root() and not self.user.is_superuser:
            return False
        return super().can_unpublish()

    def can_publish(self):
        # A trend summary goes live only when a data steward approves it in its workflow
        # (groups.models.stewardship): nobody publishes it directly, administrators included.
        if getattr(self.page.specific_class, "steward_approval_required", False):
            return False
        return super().can_publish()

    def can_copy(self):
        # A copy would need a region of its own, and two pages cannot share the groups.
        if self._is_group_root():
            return False
        return super().can_copy()


def _request_user(request):
    return getattr(request, "user", None)


class MembersAreaPageMixin:
    """What every page of the members' area shares: it is never indexed for search,
    never listed in the sitemap, and its privacy cannot be changed in the admin."""

    @classmethod
    def get_indexed_objects(cls):
        # Kept out of the search index altogether, so site search cannot find them
        # even if a view restriction row were lost.
        return cls.objects.none()

    def get_sitemap_urls(self, request=None):
        return []

    def permissions_for_user(self, user):
        return PrivatePagePermissionTester(user, self)

    def get_view_restrictions(self):
        # Wagtail reads every ancestor to learn whether it is an alias, then their
        # restrictions: two queries. A page reached by routing knows its ancestors down to
        # the home page; when none of them is an alias (and the tree's root never is), the
        # restrictions on the page and above it are read by tree path in one.
        page, known = self, []
        while isinstance(page, Page) and page.depth > 1:
            if page.alias_of_id is not None:
                return super().get_view_restrictions()
            known.append(page)
            page = page.__dict__.get("_cached_parent_obj")
        if not known or known[-1].depth != 2:
            return super().get_view_restrictions()
        paths = [self.path[: depth * Page.steplen] for depth in range(1, self.depth + 1)]
        # Routing this page for a request left the site's restrictions, with their groups,
        # as that request's frame keeps them (home.frame, home.routing).
        kept = self.__dict__.get("_portal_view_restrictions")
        found = kept_restrictions(kept, paths) if kept is not None else None
        if found is not None:
            return found
        return PageViewRestriction.objects.filter(page__path__in=paths)

    # The type most children of this page are ("app.Model"): routing reads such a child in
    # one query, where Wagtail's own routing takes two (the page, then its specific type),
    # or from the shared cache (home.routing).
    # A child of any other type is routed as Wagtail does.
    likely_child_type: str | None = None

    def route(self, request, path_components):
        kept = getattr(request, "portal_view_restrictions", None)
        if kept is not None:
            self._portal_view_restrictions = kept  # for get_view_restrictions
        if path_components and self.likely_child_type:
            model = apps.get_model(self.likely_child_type)
            child = child_page(request, self, model, path_components[0])
            if child is not None:
                # As Wagtail's routing does: the parent is known, so get_parent() and
                # get_working_group() need no query.
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def serve_password_required_response(self, request, form, action_url):
        # Shared passwords are switched off site-wide; never confirm a private page
        # exists through Wagtail's password form.
        raise Http404


class MembersAreaIndexPage(MembersAreaPageMixin, Page):
    """The members' area at /members/: the signed-in person's working groups.

    Anonymous visitors are sent to sign in from every URL under it, whether or not a page
    exists there, so signing in is the only thing the area reveals. This is done in code
    (`route`) rather than with a "logged-in users" view restriction: a restriction only
    answers for pages that exist, and Wagtail's own redirect ignores LOGIN_URL.
    """

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    base_form_class = AdministratorOnlyFieldsPageForm
    # Renaming, moving or expiring it would take every group offline.
    administrator_only_fields = ("title", "slug", "go_live_at", "expire_at")
    search_fields: list[index.BaseField] = []
    parent_page_types = ["home.HomePage"]
    # MeetingPage and other group pages go under WorkingGroupPage, not here.
    subpage_types = ["groups.WorkingGroupPage", "groups.AllRegionsTrendSummaryPage"]
    max_count = 1
    template = "groups/members_area_index_page.html"
    likely_child_type = "groups.WorkingGroupPage"

    class Meta:
        verbose_name = "members' area"

    def clean(self):
        super().clean()
        # The page cache and the sign-in rules are written for /members/.
        if self.slug != "members":
            raise ValidationError({"slug": "The members' area lives at /members/: keep the slug “members”."})

    def route(self, request, path_components):
        user = _request_user(request)
        if user is None or not user.is_authenticated:
            if not self.live:
                raise Http404
            return RouteResult(self)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # The one import of a selector by this page type: the dashboard reads these models.
        from ..dashboard import member_dashboard  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context["group_summaries"] = member_dashboard(user=request.user)
        return context


class GroupPrivateMixin(MembersAreaPageMixin):
    """For a working group's page and every page beneath it (meetings, notes, summaries).

    Routing and serving check `can_view_group` against the memberships themselves, and
    answer 404 to anyone signed in who may not see the group: a page that exists and one
    that does not look the same from outside. Wagtail's view restriction is a second
    lock, not the only one.
    """

    def get_working_group(self):
        if isinstance(self, WorkingGroupPage):
            return self
        parent = self.__dict__.get("_cached_parent_obj")  # the page routing came through
        if isinstance(parent, GroupPrivateMixin):
            return parent.get_working_group()
        return WorkingGroupPage.objects.ancestor_of(self).first()

    def check_group_access(self, request):
        # For `route` and `serve`, with the predicate every view uses. `groups.permissions`
        # imports no models, so there is no cycle; it is imported here only so that the
        # models import nothing above them in the layers.
        from ..permissions import can_view_group  # noqa: PLC0415

        working_group = self.get_working_group()
        if working_group is None or not can_view_group(_request_user(request), working_group):
            raise Http404

    def route(self, request, path_components):
        # Checked while routing, before Wagtail's own view-restriction check would send
        # a signed-in non-member to the login page and so confirm the page exists.
        self.check_group_access(request)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        self.check_group_access(request)
        return super().serve(request, *args, **kwargs)


class WorkingGroupPage(GroupPrivateMixin, Page):
    """One regional working group's area, visible only to its members.

    Its two Django groups (members, coordinators) and its documents' collection are
    created and kept in step by `groups.membership.services`; they are not part of the page's revisions.
    """

    region = models.CharField(max_length=40, choices=Region.choices, unique=True)
    introduction = models.TextField(blank=True, help_text="What the group is for, shown to its members.")
    members_group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    coordinators_group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    # The group's documents: a Wagtail collection restricted to its members.
    collection = models.OneToOneField(
        "wagtailcore.Collection", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("region"), FieldPanel("introduction")]
    base_form_class = AdministratorOnlyFieldsPageForm
    # A coordinator edits the group's introduction; its name, address, region and
    # schedule (an expiry would take the group offline) are the administrators'.
    administrator_only_fields = ("title", "slug", "region", "go_live_at", "expire_at")
    search_fields: list[index.BaseField] = []
    parent_page_types = ["groups.MembersAreaIndexPage"]
    # Every page of the group's area must use GroupPrivateMixin.
    subpage_types = ["groups.MeetingPage", "groups.TrendSummaryPage"]
    exclude_fields_in_copy = ["members_group", "coordinators_group", "collection"]
    template = "groups/working_group_page.html"
    likely_child_type = "groups.MeetingPage"

    class Meta:
        verbose_name = "working group"

    def __str__(self):
        return self.title

    @property
    def region_name(self):
        return self.get_region_display()

    def with_content_json(self, content):
        # Revisions saved before the groups were created hold nulls; publishing one must
        # not unlink the groups, which belong to the page, not to a revision.
        # Read from the database: `self` may be an instance from before the set-up.
        obj = super().with_content_json(content)
        links = (
            WorkingGroupPage.objects.filter(pk=self.pk)
            .values("members_group", "coordinators_group", "collection")
            .first()
        )
        if links:
            obj.members_group_id, obj.coordinators_group_id = links["members_group"], links["coordinators_group"]
            obj.collection_id = links["collection"]
        return obj

    def get_context(self, request, *args, **kwargs):
        # The one import of a selector by this page type: the dashboard reads these models.
        from ..dashboard import group_overview  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context["summary"] = group_overview(working_group=self, user=request.user)
        return context


class Membership(models.Model):
    """A person's place in one working group, through their organisation.

    The source of truth for who sees a group's area. People who leave keep their row
    (status "left"), so the record of who took part survives.
    """

    Role = MembershipRole
    Status = MembershipStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "working_group"], name="one_membership_per_user_and_group")
        ]
        indexes = [models.Index(fields=["user", "status"], name="membership_user_status")]
        ordering = ["working_group", "user"]

    def __str__(self):
        return f"{self.user} in {self.working_group} ({self.get_role_display()}, {self.get_status_display()})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor cancelled, and not yet expired."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation, by email, to join one working group: the only way an account is made.

    Only a SHA-256 hash of the token is stored; the token itself exists only in the link
    emailed to the invited address, so a database leak yields no usable invitations. The
    invitation is bound to its address: only an account with that email can accept it.
    """

    Status = InvitationStatus

    email = models.EmailField()
    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["working_group", "email"], name="invitation_group_email")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.working_group} ({self.get_status_display()})"

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.cancelled_at:
            return self.Status.CANCELLED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
