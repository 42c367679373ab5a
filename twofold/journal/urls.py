from django.urls import path

from twofold.journal import views

urlpatterns = [
    path("", views.journal_list, name="journal_list"),
    path("new/", views.journal_new, name="journal_new"),
    path("prompts/", views.journal_prompts, name="journal_prompts"),
    path("moments/", views.moments, name="moments"),
    path("moments/add/", views.moment_add, name="moment_add"),
    path("appreciation/", views.appreciations, name="appreciations"),
    path("appreciation/send/", views.appreciation_send, name="appreciation_send"),
    path("appreciation/seen/", views.appreciations_seen, name="appreciations_seen"),
    path("care/<uuid:couple_id>/", views.journal_care, name="journal_care"),
    path("<uuid:entry_id>/", views.journal_detail, name="journal_detail"),
    path("<uuid:entry_id>/edit/", views.journal_edit, name="journal_edit"),
    path("<uuid:entry_id>/delete/", views.journal_delete, name="journal_delete"),
]
