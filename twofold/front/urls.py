from django.urls import path

from twofold.front import views

urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("healthz", views.healthz, name="healthz"),
]
