from django.urls import path

from xuncha.web import (
    announcement_views,
    draw_urls,
    groupwork_urls,
    ledger_urls,
    overview_views,
    plan_urls,
    pool_urls,
    rectify_urls,
    registry_urls,
    survey_urls,
    talk_urls,
    triage_urls,
    views,
)

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
urlpatterns += [
    path("rectification/dashboard/", overview_views.rectification_dashboard, name="rectification_dashboard"),
    path("notifications/", overview_views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", overview_views.notification_open, name="notification_open"),
    path("notifications/read-all/", overview_views.notification_read_all, name="notification_read_all"),
    path("inspections/<int:pk>/announcement/", announcement_views.inspection_announcement,
         name="inspection_announcement"),
    path("inspections/<int:pk>/notice.docx", announcement_views.inspection_notice_download,
         name="inspection_notice_docx"),
    path("inspections/<int:pk>/announcement.docx", announcement_views.inspection_announcement_download,
         name="inspection_announcement_docx"),
]
# The ledgers (problems, rectification, unit portal, clues, suggestions) live in ledger_urls.
urlpatterns += ledger_urls.urlpatterns
# Feedback, rectification plans and the written report live in plan_urls.
urlpatterns += plan_urls.urlpatterns
# Evidence, 催办, 问责, paper-rectification flags and random re-checks live in rectify_urls.
urlpatterns += rectify_urls.urlpatterns
# The report registry's staff pages (信访举报) and identity decisions live in registry_urls.
urlpatterns += registry_urls.urlpatterns
# Individual talks (个别谈话) live in talk_urls.
urlpatterns += talk_urls.urlpatterns
# The daily triage board (昼巡夜结) and the 1+5 reports live in triage_urls.
urlpatterns += triage_urls.urlpatterns
# Surveys (民主测评, 调查问卷) live in survey_urls; their public pages in public_survey_urls.
urlpatterns += survey_urls.urlpatterns
# The verifiable random draw of inspection groups (抽取巡察组) lives in draw_urls.
urlpatterns += draw_urls.urlpatterns
# Group discipline (巡察组纪律: pledge, party branch, sign-in, work logs, 组务会, 请示报告) lives in groupwork_urls.
urlpatterns += groupwork_urls.urlpatterns
# The talent pool (巡察人才库), its import and the assessments (考评) live in pool_urls.
urlpatterns += pool_urls.urlpatterns
