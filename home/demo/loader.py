"""Build the demo site from the data files in home/demo/content/.

Every step looks for what it would create and leaves anything that exists alone, so
running it again changes nothing (and never overwrites an editor's later changes).
"""

import itertools
import re
import secrets
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from wagtail_footnotes.models import Footnote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from groups.enums import Region
from groups.membership.services import members_area_setup, membership_add
from groups.models import Membership, Organisation
from portal.roles import DATA_STEWARDS_GROUP_NAME, EDITORS_GROUP_NAME
from resources.models import (
    Audience,
    GuidanceIndexPage,
    GuidancePage,
    Resource,
    ResourceIndexPage,
    SupportService,
    Topic,
)

from ..models import FeedbackFormField, FeedbackFormPage, FeedbackRoute, HomePage, PortalSettings, StandardPage
from .working_groups import demo_groups_load, demo_person_name

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# The library, the pages, the members' area, one for each working group, the summaries.
DEMO_LOAD_STEPS = 3 + len(Region) + 1
FOOTNOTE_NAMESPACE = uuid.UUID("6f0d3c1e-2b4a-4c8e-9a57-1f2e3d4c5b6a")
FOOTNOTE_TAG = re.compile(r'<footnote id="([^"]+)">')
PAGE_TYPES = {
    "home": HomePage,
    "standard": StandardPage,
    "guidance_index": GuidanceIndexPage,
    "guidance": GuidancePage,
    "resource_index": ResourceIndexPage,
    "feedback_form": FeedbackFormPage,
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_secret: str


@dataclass
class DemoReport:
    created: list = field(default_factory=list)
    logins: list = field(default_factory=list)


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def _no_progress(step, steps, label):
    pass


def demo_content_load(*, content_dir=CONTENT_DIR, progress=_no_progress):
    """Create whatever part of the demo site is missing; return what was created.

    `progress(step, steps, label)` is called as each part begins, for the console."""
    report = DemoReport()
    steps = itertools.count(1)
    total = DEMO_LOAD_STEPS

    def step(label):
        progress(next(steps), total, label)

    # Wagtail keeps its reference index (where each page, document and snippet is used)
    # by queuing a task for every save: over 700 for the demo, for the worker of a new
    # machine to work through. It is built once instead, from what is there at the end.
    with transaction.atomic():
        with disable_reference_index_auto_update():
            step("the library")
            library = load_toml(content_dir / "library.toml")
            topics = _load_topics(library["topics"], report)
            services = _load_library_items(SupportService, library["services"], topics, report)
            resources = _load_library_items(Resource, library["resources"], topics, report)
            step("guidance and public pages")
            files = sorted((content_dir / "pages").glob("*.toml"))
            specs = [load_toml(path) for path in files]
            home_spec = next(spec for spec in specs if spec["type"] == "home")
            home = _load_home(home_spec, report)
            parents = {"home": home}
            for child in home_spec.get("children", []):
                parents[child["slug"]] = _load_page(home, child, topics, services, report)
            for spec in specs:
                if spec["type"] != "home":
                    _load_page(parents[spec["parent"]], spec, topics, services, report)
            _link_home(home, home_spec, services)
            _load_settings(home, specs)
            step("the members' area and the demo sign-ins")
            _, groups = members_area_setup(home_page=home)
            people = load_toml(content_dir / "people.toml")
            organisations = _load_organisations(people["organisations"], report)
            groups_by_region = {g.region: g for g in groups}
            report.logins = [
                login
                for spec in people["people"]
                if (login := _load_person(spec, groups_by_region, organisations, report))
            ]
            demo_groups_load(
                spec=load_toml(content_dir / "working_groups.toml"),
                people=people.get("members", []),
                groups=groups_by_region,
                organisations=organisations,
                report=report,
                step=step,
            )
        if report.created:
            call_command("rebuild_references_index", verbosity=0)
    return report, {"services": services, "resources": resources}


def _load_topics(specs, report):
    topics = {}
    for spec in specs:
        topic, created = Topic.objects.get_or_create(slug=spec["slug"], defaults={"name": spec["name"]})
        if created:
            report.created.append(f"topic {topic.name}")
        topics[topic.slug] = topic
    return topics


def _load_library_items(model, specs, topics, report):
    items = {}
    for spec in specs:
        item = model.objects.filter(name=spec["name"]).first()
        if item is None:
            item = model.objects.create(
                name=spec["name"],
                description=spec.get("description", ""),
                url=spec.get("url", ""),
                phone=spec.get("phone", ""),
                last_checked=spec.get("last_checked"),
            )
            item.audiences.set(Audience.objects.filter(slug__in=spec.get("audiences", [])))
            item.topics.set([topics[slug] for slug in spec.get("topics", [])])
            report.created.append(f"{model._meta.verbose_name} {item.name}")
        items[spec["key"]] = item
    return items


def _load_home(spec, report):
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    site = Site.objects.filter(is_default_site=True).first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    for page in root.get_children().filter(slug=spec["slug"]):
        if page.specific_class is Page:  # Wagtail's "Welcome to your new Wagtail site!"
            page.delete()
    home = HomePage(
        title=spec["title"],
        slug=spec["slug"],
        introduction=spec["introduction"],
        child_tells_you_heading=spec["child_tells_you_heading"],
        child_tells_you=spec["child_tells_you"],
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
    else:
        site.root_page = home
        site.save()
    report.created.append(f"page {home.title}")
    return home


def _load_page(parent, spec, topics, services, report):
    existing = parent.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing.specific
    model = PAGE_TYPES[spec["type"]]
    page = model(title=spec["title"], slug=spec["slug"], show_in_menus=spec.get("show_in_menus", False))
    for name in (
        "introduction",
        "summary",
        "content_owner",
        "last_reviewed",
        "next_review_due",
        "search_description",
        "intro",
        "thank_you_text",
    ):
        if name in spec:
            setattr(page, name, spec[name])
    if "body" in spec:
        page.body = [_block(block, spec["slug"], services) for block in spec["body"]]
    if model is GuidancePage:
        page.footnotes = [
            Footnote(uuid=_footnote_uuid(spec["slug"], note["id"]), text=note["text"].strip())
            for note in spec.get("footnotes", [])
        ]
        page.changes = [page.changes.model(date=c["date"], summary=c["summary"]) for c in spec.get("changes", [])]
    if model is FeedbackFormPage:
        page.form_fields = [_question(order, spec) for order, spec in enumerate(spec.get("questions", []))]
    parent.add_child(instance=page)
    if model is FeedbackFormPage:
        _load_routes(spec.get("routes", []), report)
    if model is GuidancePage:
        page.audiences.set(Audience.objects.filter(slug__in=spec.get("audiences", [])))
        page.topics.set([topics[slug] for slug in spec.get("topics", [])])
    page.save_revision().publish()
    report.created.append(f"page {page.title}")
    return page


def _question(order, spec):
    return FeedbackFormField(
        sort_order=order,
        label=spec["label"],
        field_type=spec["field_type"],
        purpose=spec.get("purpose", FeedbackFormField.Purpose.OTHER),
        required=spec.get("required", True),
        help_text=spec.get("help_text", ""),
        choices="\n".join(spec.get("choices", [])),
    )


def _load_routes(specs, report):
    for spec in specs:
        route, created = FeedbackRoute.objects.get_or_create(
            topic=spec["topic"],
            defaults={
                "recipients": "\n".join(spec.get("recipients", [])),
                "to_group_coordinators": spec.get("to_group_coordinators", False),
                "include_answers": spec.get("include_answers", False),
            },
        )
        if created:
            report.created.append(f"feedback routing rule {route.topic}")


def _footnote_uuid(page_slug, name):
    return str(uuid.uuid5(FOOTNOTE_NAMESPACE, f"{page_slug}:{name}"))


def _rich_text(html, page_slug):
    """Data-file HTML to stored rich text: footnote names become the footnotes' UUIDs."""
    return FOOTNOTE_TAG.sub(lambda m: f'<footnote id="{_footnote_uuid(page_slug, m.group(1))}">', html.strip())


def _block(spec, page_slug, services):
    """One block of a data file as a (block type, value) pair for a StreamField."""
    kind = spec["type"]
    if kind == "rich_text":
        value = _rich_text(spec["value"], page_slug)
    elif kind == "section":
        value = {
            "heading": spec["heading"],
            "content": [_block(child, page_slug, services) for child in spec.get("content", [])],
        }
    elif kind == "callout":
        value = {"kind": spec["kind"], "heading": spec.get("heading", ""), "text": _rich_text(spec["text"], page_slug)}
    elif kind == "indicators":
        value = {
            "heading": spec.get("heading", ""),
            "introduction": spec.get("introduction", ""),
            "items": spec["items"],
        }
    elif kind == "steps":
        value = {
            "heading": spec.get("heading", ""),
            "steps": [{"title": s["title"], "text": _rich_text(s.get("text", ""), page_slug)} for s in spec["steps"]],
        }
    elif kind == "quote":
        value = {"quote": spec["quote"], "attribution": spec.get("attribution", "")}
    elif kind == "support_services":
        value = {"heading": spec.get("heading", ""), "services": [services[key] for key in spec["services"]]}
    else:
        raise ValueError(f"Unknown block type {kind!r} in demo content for {page_slug}")
    return (kind, value)


def _link_home(home, spec, services):
    """Featured guidance and support links, added once."""
    changed = False
    if not home.featured_guidance.exists():
        pages = {page.slug: page for page in GuidancePage.objects.filter(slug__in=spec["featured_guidance"])}
        home.featured_guidance = [home.featured_guidance.model(page=pages[slug]) for slug in spec["featured_guidance"]]
        changed = True
    if not home.support_links.exists():
        home.support_links = [home.support_links.model(service=services[key]) for key in spec["support_links"]]
        changed = True
    if changed:
        home.save_revision().publish()


def _load_site_address(site):
    """The demo is served at WAGTAILADMIN_BASE_URL (`make run`: http://127.0.0.1:8000), so
    the Site says so, and full addresses (the sitemap, emails) name where the demo is;
    and it gets the portal's name. Only over Wagtail's defaults (localhost:80, no name)."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    changed = False
    if (site.hostname, site.port) == ("localhost", 80) and address.hostname:
        site.hostname, site.port = address.hostname, address.port or (443 if address.scheme == "https" else 80)
        changed = True
    if not site.site_name:
        site.site_name = settings.WAGTAIL_SITE_NAME
        changed = True
    if changed:
        site.save()


def _load_settings(home, specs):
    site = Site.objects.get(root_page=home)
    _load_site_address(site)
    portal_settings = PortalSettings.for_site(site)
    changed = False
    home_spec = next(spec for spec in specs if spec["type"] == "home")
    for name, value in home_spec.get("site_settings", {}).items():
        # Only over the model's default: a value an administrator chose is kept.
        if getattr(portal_settings, name) == PortalSettings._meta.get_field(name).get_default():
            setattr(portal_settings, name, value)
            changed = True
    for spec in specs:
        name = spec.get("setting")
        if name and getattr(portal_settings, f"{name}_id") is None:
            setattr(portal_settings, name, home.get_children().get(slug=spec["slug"]))
            changed = True
    if changed:
        portal_settings.save()


def _load_organisations(specs, report):
    organisations = {}
    for spec in specs:
        organisation, created = Organisation.objects.get_or_create(
            name=spec["name"], defaults={"sector": spec["sector"], "email_domains": spec["email_domains"]}
        )
        if created:
            report.created.append(f"organisation {organisation.name}")
        organisations[organisation.name] = organisation
    return organisations


def _load_person(spec, groups, organisations, report):
    """One demo sign-in for a role, with a random password and an authenticator secret,
    returned once, when created, so a newcomer can sign in (MFA is required)."""
    User = get_user_model()
    email = spec["email"]
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        demo_person_name(existing, spec)
        return None
    password = secrets.token_urlsafe(12)
    username = email.split("@")[0]
    if spec["role"] == "administrator":
        user = User.objects.create_superuser(username=username, email=email, password=password)
    else:
        user = User.objects.create_user(username=username, email=email, password=password)
    demo_person_name(user, spec)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    totp_secret = generate_totp_secret()
    TOTP.activate(user, totp_secret)
    if spec["role"] == "editor":
        user.groups.add(Group.objects.get(name=EDITORS_GROUP_NAME))
    elif spec["role"] == "steward":
        user.groups.add(Group.objects.get(name=DATA_STEWARDS_GROUP_NAME))
    elif spec["role"] in (Membership.Role.MEMBER, Membership.Role.COORDINATOR):
        membership_add(
            user=user,
            working_group=groups[spec["group"]],
            organisation=organisations[spec["organisation"]],
            role=spec["role"],
        )
    report.created.append(f"{spec['role']} {email}")
    return DemoLogin(role=spec["role"], email=email, password=password, totp_secret=totp_secret)


def seed_link_texts(*, content_dir=CONTENT_DIR):
    """The seed's 'Further guidance' link texts mapped to the services that replace them."""
    library = load_toml(content_dir / "library.toml")
    return {spec["seed_link_text"]: spec for spec in library["services"] if "seed_link_text" in spec}
