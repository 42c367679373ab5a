from django.urls import path

from twofold.audit import views

urlpatterns = [path("who-viewed-my-data/", views.access_log, name="access_log")]
