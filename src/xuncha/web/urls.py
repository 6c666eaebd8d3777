from django.urls import path

from xuncha.web import ledger_urls, views

app_name = "web"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("committees/<int:pk>/rules/", views.committee_rules, name="committee_rules"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="round_approve"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/advance/", views.inspection_advance, name="inspection_advance"),
    path("inspections/<int:pk>/schedule/", views.inspection_schedule, name="inspection_schedule"),
    path("stats/", views.stats_view, name="stats"),
    path("audit/", views.audit_list, name="audit_list"),
]
# The ledgers (problems, rectification, unit portal, clues, suggestions) live in ledger_urls.
urlpatterns += ledger_urls.urlpatterns
