from django.urls import path

from twofold.front import views

urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("healthz", views.healthz, name="healthz"),
]
