from django.urls import path, register_converter

from twofold.couples import views


class ConsentKindConverter:
    regex = "participation|care"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ConsentKindConverter, "consent_kind")

urlpatterns = [
    path("couple/start/", views.couple_start, name="couple_start"),
    path("couple/invite/", views.partner_invite, name="partner_invite"),
    path(
        "couple/invitations/<uuid:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "couple/invitations/<uuid:invitation_id>/new-link/",
        views.invitation_new_link,
        name="invitation_new_link",
    ),
    path(
        "couple/join/<uuid:invitation_id>/",
        views.invitation_accept_waiting,
        name="invitation_accept_waiting",
    ),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("consent/<consent_kind:kind>/", views.consent_give, name="consent_give"),
    path("consent/<consent_kind:kind>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
