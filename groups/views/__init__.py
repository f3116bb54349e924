"""Views for the members' area that are not Wagtail pages, one module per subject."""
