from django.urls import path

from twofold.care import views

urlpatterns = [
    path("", views.caseload, name="care_caseload"),
    path("couples/new/", views.couple_new, name="care_couple_new"),
    path("couples/<uuid:couple_id>/", views.couple_detail, name="care_couple_detail"),
    path("couples/<uuid:couple_id>/notes/", views.note_add, name="care_note_add"),
    path("clinic/", views.clinic_home, name="clinic_home"),
    path("clinic/invite/", views.clinic_invite, name="clinic_invite"),
    path("clinic/audit/", views.clinic_audit, name="clinic_audit"),
]
