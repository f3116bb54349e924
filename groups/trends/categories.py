"""The categories of a trend return, declared once.

Everything else is derived from this module: the model's choices and its database check
(so a change here makes a migration), the form's fields and fieldsets, the validation,
the import template's columns and the summaries' rows. Adding a category is one line in
its breakdown, then `makemigrations groups`.

Category keys are unique across breakdowns: they name form fields and spreadsheet
columns, and once stored they must never be renamed (add a new key instead).

A *partition* breakdown splits the children identified: its counts add up to the total.
"What followed" is not a partition: a child may have been reported to the police and
referred for mental-health support, so each count is at most the total.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str  # e.g. "Age band": names the fieldset and prefixes the column headers
    plural: str  # e.g. "Age bands": "Age bands add up to 12, but ..."
    categories: tuple[Category, ...]
    partition: bool = True
    hint: str = ""

    @property
    def keys(self):
        return [category.key for category in self.categories]


BREAKDOWNS = (
    Breakdown(
        "age_band",
        "Age band",
        "Age bands",
        (
            Category("age_under_11", "Under 11"),
            Category("age_11_12", "11 to 12"),
            Category("age_13_15", "13 to 15"),
            Category("age_16_17", "16 to 17"),
            Category("age_18_over", "18 and over"),
        ),
        hint="Their age when it started.",
    ),
    Breakdown(
        "gender",
        "Gender",
        "Genders",
        (
            Category("gender_boys", "Boys and young men"),
            Category("gender_girls", "Girls and young women"),
            Category("gender_other_unknown", "Other or not known"),
        ),
    ),
    Breakdown(
        "first_contact",
        "Where first contact happened",
        "First-contact counts",
        (
            Category("contact_social_media", "Social media"),
            Category("contact_gaming", "Gaming platform"),
            Category("contact_messaging", "Messaging app"),
            Category("contact_other", "Other"),
            Category("contact_unknown", "Not known"),
        ),
    ),
    Breakdown(
        "demanded",
        "What was demanded",
        "What-was-demanded counts",
        (
            Category("demand_money", "Money"),
            Category("demand_images", "More images"),
            Category("demand_sexual_acts", "Other sexual acts"),
            Category("demand_criminal_acts", "Other criminal acts"),
            Category("demand_unknown", "Not known"),
        ),
        hint="The main demand for each child.",
    ),
    Breakdown(
        "money_paid",
        "Whether money was paid",
        "Money-paid counts",
        (
            Category("paid_yes", "Yes"),
            Category("paid_no", "No"),
            Category("paid_unknown", "Not known"),
        ),
    ),
    Breakdown(
        "ransom_band",
        "Ransom band",
        "Ransom bands",
        (
            Category("ransom_under_50", "Under £50"),
            Category("ransom_50_499", "£50 to £499"),
            Category("ransom_500_2500", "£500 to £2,500"),
            Category("ransom_over_2500", "Over £2,500"),
            Category("ransom_unknown", "Not known or no money demanded"),
        ),
        hint="The largest sum demanded of each child.",
    ),
    Breakdown(
        "followed",
        "What followed",
        "What-followed counts",
        (
            Category("followed_police", "Reported to police"),
            Category("followed_report_remove", "Report Remove used"),
            Category("followed_social_care", "Referred to children's social care"),
            Category("followed_mental_health", "Mental-health referral"),
            Category("followed_suicide_prevention", "Suicide prevention plan in place"),
        ),
        partition=False,
        hint="Count each child under every step that applies: each number is at most the total.",
    ),
)

BREAKDOWN_BY_KEY = {breakdown.key: breakdown for breakdown in BREAKDOWNS}
CATEGORY_KEYS = [category.key for breakdown in BREAKDOWNS for category in breakdown.categories]
# category key -> its breakdown
BREAKDOWN_OF = {category.key: breakdown for breakdown in BREAKDOWNS for category in breakdown.categories}
CATEGORY_BY_KEY = {category.key: category for breakdown in BREAKDOWNS for category in breakdown.categories}

BREAKDOWN_CHOICES = [(breakdown.key, breakdown.label) for breakdown in BREAKDOWNS]
CATEGORY_CHOICES = [
    (breakdown.label, [(category.key, category.label) for category in breakdown.categories]) for breakdown in BREAKDOWNS
]

assert len(CATEGORY_KEYS) == len(set(CATEGORY_KEYS)), "category keys must be unique across breakdowns"


def column_label(key):
    """A category's full name where it stands alone, e.g. "Age band: under 11"."""
    breakdown, category = BREAKDOWN_OF[key], CATEGORY_BY_KEY[key]
    return f"{breakdown.label}: {category.label[:1].lower()}{category.label[1:]}"
