from django.urls import path

from twofold.program import views

urlpatterns = [
    path("program/", views.program_home, name="program_home"),
    path("program/ready/", views.program_ready, name="program_ready"),
    path("program/step-back/", views.program_step_back, name="program_step_back"),
    path("program/pause/", views.program_pause, name="program_pause"),
    path("program/resume/", views.program_resume, name="program_resume"),
    path("program/history/", views.program_history, name="program_history"),
    path("program/exercises/<slug:key>/", views.exercise_detail, name="exercise_detail"),
    path("program/exercises/<slug:key>/log/", views.practice_log_new, name="practice_log_new"),
    path("program/logs/", views.practice_logs, name="practice_logs"),
    path("boundaries/", views.boundaries_page, name="boundaries"),
    path("boundaries/<slug:key>/", views.boundary_answer, name="boundary_answer"),
    path("goals/", views.goals_page, name="goals"),
    path("goals/<uuid:goal_id>/propose/", views.goal_propose, name="goal_propose"),
    path("goals/<uuid:goal_id>/respond/", views.goal_respond, name="goal_respond"),
    path("goals/<uuid:goal_id>/put-away/", views.goal_put_away, name="goal_put_away"),
]
