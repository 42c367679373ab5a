from django.urls import path

from twofold.checkins import care_views, views
from twofold.lib import converters  # noqa: F401  (registers <date:…>)

urlpatterns = [
    path("", views.checkin_home, name="checkin_home"),
    path("history/", views.checkin_history, name="checkin_history"),
    path("cadence/", views.checkin_cadence, name="checkin_cadence"),
    path("<date:start>/", views.checkin_answer, name="checkin_answer"),
    path("<date:start>/together/", views.checkin_together, name="checkin_together"),
    path("care/<uuid:couple_id>/", care_views.checkin_care, name="checkin_care"),
    path(
        "care/<uuid:couple_id>/cadence/",
        care_views.checkin_care_cadence,
        name="checkin_care_cadence",
    ),
]
