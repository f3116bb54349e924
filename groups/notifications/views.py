"""The signed-in person's notification preferences: how often to hear about each of their groups.

There is no user in the URL: the page only ever reads and writes the preferences of
whoever is signed in, so nobody can change someone else's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import NotificationPreferencesForm
from .selectors import notification_preferences
from .services import notification_preferences_save


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences_edit(request):
    form = NotificationPreferencesForm(request.POST or None, preferences=notification_preferences(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(user=request.user, choices=form.choices())
        except ValidationError as error:  # A group the person left since the page was shown.
            form.add_error(None, error)
        else:
            messages.success(request, "Your notification choices have been saved.")
            return redirect("groups:notification_preferences")
    return render(request, "groups/notification_preferences.html", {"form": form})
