"""The feedback form page, its answers and the time trap's ticket."""

import factory
import wagtail_factories

FEEDBACK_TOPICS = "A guidance page\nThe working group\nJoining the working group\nA local service\nSomething else"


FEEDBACK_REGIONS = "Cumbria\nNorthumbria\nDurham Cleveland\nYorkshire\nSomewhere else"


class FeedbackFormPageFactory(wagtail_factories.PageFactory):
    """The feedback form of the demo: topic, role, region, message, name, email and consent."""

    class Meta:
        model = "home.FeedbackFormPage"
        skip_postgeneration_save = True

    title = "Send us feedback"
    slug = "feedback"
    intro = "<p>Tell us what is missing or wrong.</p>"

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create:
            return
        from home.models import FeedbackFormField

        for order, (label, field_type, purpose, required, choices) in enumerate(
            extracted
            or [
                ("What is your feedback about?", "radio", "topic", True, FEEDBACK_TOPICS),
                ("Your role", "singleline", "other", False, ""),
                ("Your region", "dropdown", "region", False, FEEDBACK_REGIONS),
                ("Your message", "multiline", "message", True, ""),
                ("Your name", "singleline", "name", False, ""),
                ("Your email address", "email", "email", False, ""),
                ("You may contact me about my feedback", "checkbox", "consent", False, ""),
            ]
        ):
            FeedbackFormField.objects.create(
                page=obj,
                sort_order=order,
                label=label,
                field_type=field_type,
                purpose=purpose,
                required=required,
                choices=choices,
            )


def feedback_answers(**overrides):
    """A valid POST for FeedbackFormPageFactory's questions."""
    return {
        "what_is_your_feedback_about": "A guidance page",
        "your_role": "Designated safeguarding lead",
        "your_region": "Cumbria",
        "your_message": "The guidance on reporting should mention Report Remove earlier.",
        "your_name": "",
        "your_email_address": "",
        **overrides,
    }


def feedback_ticket(seconds_ago=10):
    """A signed ticket for a form shown `seconds_ago` (the time trap wants at least 3)."""
    import time

    import time_machine

    from home.antispam import ticket_issue

    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return ticket_issue()
