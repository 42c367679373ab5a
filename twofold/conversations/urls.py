from django.urls import path

from twofold.conversations import views

urlpatterns = [
    path("", views.talk_home, name="talk_home"),
    path("start/<slug:script_key>/", views.talk_start, name="talk_start"),
    path("<uuid:session_id>/", views.talk_session, name="talk_session"),
    path("<uuid:session_id>/state/", views.talk_state, name="talk_state"),
    path("<uuid:session_id>/next/", views.talk_next, name="talk_next"),
    path("<uuid:session_id>/swap/", views.talk_swap, name="talk_swap"),
    path("<uuid:session_id>/pause/", views.talk_pause, name="talk_pause"),
    path("<uuid:session_id>/end/", views.talk_end, name="talk_end"),
]
