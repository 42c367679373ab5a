from django.urls import path

from twofold.cycles import views

urlpatterns = [
    path("", views.cycles_list, name="cycles_list"),
    path("new/", views.cycle_new, name="cycle_new"),
    path("<uuid:cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("<uuid:cycle_id>/step/", views.cycle_step, name="cycle_step"),
    path("<uuid:cycle_id>/withdraw/", views.cycle_withdraw, name="cycle_withdraw"),
    path("care/<uuid:couple_id>/", views.cycles_care, name="cycles_care"),
]
