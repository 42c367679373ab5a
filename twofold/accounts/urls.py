from django.urls import path

from twofold.accounts import views

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("privacy-lock/", views.privacy_lock_settings, name="privacy_lock"),
    path("privacy-lock/open/", views.privacy_unlock, name="privacy_unlock"),
    path("privacy-lock/close/", views.privacy_lock_close, name="privacy_lock_close"),
]
