from django.urls import path

from twofold.reminders import views

urlpatterns = [
    path("nudge/", views.nudge, name="reminders_nudge"),
]
