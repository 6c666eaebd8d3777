"""Staff URLs of the survey pages. web/urls.py appends these, so they are named web:<name>."""

from django.urls import path

from xuncha.web import survey_views as v

urlpatterns = [
    path("surveys/", v.survey_list, name="survey_list"),
    path("inspections/<int:pk>/surveys/new/", v.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", v.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", v.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/question/", v.survey_question, name="survey_question"),
    path("surveys/<int:pk>/question/move/", v.survey_question_move, name="survey_question_move"),
    path("surveys/<int:pk>/question/delete/", v.survey_question_delete, name="survey_question_delete"),
    path("surveys/<int:pk>/open/", v.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", v.survey_close, name="survey_close"),
    path("surveys/<int:pk>/codes/", v.survey_tokens, name="survey_tokens"),
    path("surveys/<int:pk>/codes/void/", v.survey_tokens_void, name="survey_tokens_void"),
    path("surveys/<int:pk>/results/", v.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", v.survey_export, name="survey_export"),
]
