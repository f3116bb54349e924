"""The public frame's models, one module per subject; import them from `home.models`."""

from .feedback import FeedbackFormField, FeedbackFormPage, FeedbackRoute, FeedbackSubmission
from .pages import (
    PANEL_TEXT_FEATURES,
    HomePage,
    HomePageFeaturedGuidance,
    HomePageSupportLink,
    PortalSettings,
    SectionedBodyMixin,
    StandardPage,
)

__all__ = [
    "PANEL_TEXT_FEATURES",
    "FeedbackFormField",
    "FeedbackFormPage",
    "FeedbackRoute",
    "FeedbackSubmission",
    "HomePage",
    "HomePageFeaturedGuidance",
    "HomePageSupportLink",
    "PortalSettings",
    "SectionedBodyMixin",
    "StandardPage",
]
