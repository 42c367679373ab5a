from django.urls import path, register_converter

from twofold.checkins import care_views, views


class RoundStartConverter:
    """A round's first day, as YYYY-MM-DD."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(RoundStartConverter, "round")

urlpatterns = [
    path("", views.checkin_home, name="checkin_home"),
    path("history/", views.checkin_history, name="checkin_history"),
    path("cadence/", views.checkin_cadence, name="checkin_cadence"),
    path("<round:start>/", views.checkin_answer, name="checkin_answer"),
    path("<round:start>/together/", views.checkin_together, name="checkin_together"),
    path("care/<uuid:couple_id>/", care_views.checkin_care, name="checkin_care"),
    path(
        "care/<uuid:couple_id>/cadence/",
        care_views.checkin_care_cadence,
        name="checkin_care_cadence",
    ),
]
