from django.urls import include, path

urlpatterns = [
    path("", include("twofold.front.urls")),
    path("", include("twofold.couples.urls")),
    path("", include("twofold.program.urls")),
    path("care/", include("twofold.care.urls")),
    path("privacy/", include("twofold.audit.urls")),
    path("me/", include("twofold.accounts.urls")),
    path("accounts/", include("allauth.urls")),
]
