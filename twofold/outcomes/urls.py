from django.urls import path

from twofold.outcomes import converters as _converters  # noqa: F401  (<export_format:>)
from twofold.outcomes import export_views, views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaires"),
    path(
        "export.<export_format:fmt>",
        export_views.questionnaire_export,
        name="questionnaire_export",
    ),
    path("answers/<uuid:response_id>/", views.questionnaire_form, name="questionnaire_form"),
    path(
        "answers/<uuid:response_id>/<int:number>/",
        views.questionnaire_step,
        name="questionnaire_step",
    ),
    path(
        "answers/<uuid:response_id>/check/",
        views.questionnaire_check,
        name="questionnaire_check",
    ),
    path("answers/<uuid:response_id>/send/", views.questionnaire_send, name="questionnaire_send"),
    path("results/<uuid:result_id>/", views.questionnaire_result, name="questionnaire_result"),
    path("results/<uuid:result_id>/share/", views.questionnaire_share, name="questionnaire_share"),
    # Last: a questionnaire and the slot it is asked in ("/questionnaires/phq-9/baseline/").
    path("<slug:instrument>/<slug:slot>/", views.questionnaire_start, name="questionnaire_start"),
]
