from django.urls import include, path

urlpatterns = [
    path("", include("twofold.front.urls")),
    path("", include("twofold.couples.urls")),
    path("", include("twofold.program.urls")),
    path("check-in/", include("twofold.checkins.urls")),
    path("talk/", include("twofold.conversations.urls")),
    path("adjustments/", include("twofold.cycles.urls")),
    path("journal/", include("twofold.journal.urls")),
    path("questionnaires/", include("twofold.outcomes.urls")),
    path("reminders/", include("twofold.reminders.urls")),
    path("care/", include("twofold.care.urls")),
    path("privacy/", include("twofold.audit.urls")),
    path("me/", include("twofold.accounts.urls")),
    path("accounts/", include("allauth.urls")),
]
