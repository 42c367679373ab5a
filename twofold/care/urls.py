from django.urls import path

from twofold.care import views
from twofold.outcomes import care_views as outcomes_care_views
from twofold.outcomes import converters as _converters  # noqa: F401  (<export_format:>)
from twofold.outcomes import export_views as outcomes_export_views
from twofold.program import care_views

urlpatterns = [
    path("", views.caseload, name="care_caseload"),
    path("couples/new/", views.couple_new, name="care_couple_new"),
    path("couples/<uuid:couple_id>/", views.couple_detail, name="care_couple_detail"),
    path("couples/<uuid:couple_id>/notes/", views.note_add, name="care_note_add"),
    path("couples/<uuid:couple_id>/program/", care_views.care_plan, name="care_plan"),
    path("couples/<uuid:couple_id>/program/approve/", care_views.care_approve, name="care_approve"),
    path("couples/<uuid:couple_id>/program/assign/", care_views.care_assign, name="care_assign"),
    path(
        "couples/<uuid:couple_id>/program/assignments/<uuid:assignment_id>/withdraw/",
        care_views.care_unassign,
        name="care_unassign",
    ),
    path(
        "couples/<uuid:couple_id>/program/unsuitable/",
        care_views.care_unsuitable,
        name="care_unsuitable",
    ),
    path(
        "couples/<uuid:couple_id>/questionnaires/",
        outcomes_care_views.care_questionnaires,
        name="care_questionnaires",
    ),
    path(
        "couples/<uuid:couple_id>/questionnaires/schedule/",
        outcomes_care_views.care_questionnaire_schedule,
        name="care_questionnaire_schedule",
    ),
    path(
        "couples/<uuid:couple_id>/questionnaires/export.<export_format:fmt>",
        outcomes_export_views.care_questionnaire_export,
        name="care_questionnaire_export",
    ),
    path("clinic/", views.clinic_home, name="clinic_home"),
    path("clinic/invite/", views.clinic_invite, name="clinic_invite"),
    path("clinic/program/", views.clinic_program, name="clinic_program"),
    path("clinic/audit/", views.clinic_audit, name="clinic_audit"),
]
