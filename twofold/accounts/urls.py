from django.urls import path

from twofold.accounts import views

urlpatterns = [path("", views.preferences, name="preferences")]
