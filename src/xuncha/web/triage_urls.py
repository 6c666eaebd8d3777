"""Staff URLs of the triage pages. web/urls.py appends these, so they are named web:<name>."""

from django.urls import path

from xuncha.web import triage_views as v

urlpatterns = [
    path("triage/", v.triage_list, name="triage_list"),
    path("inspections/<int:pk>/triage/", v.triage_board, name="triage_board"),
    path("inspections/<int:pk>/triage/enter/", v.triage_enter, name="triage_enter"),
    path("inspections/<int:pk>/triage/report.docx", v.triage_report_docx, name="triage_report_docx"),
    path("inspections/<int:pk>/triage/bulletin.docx", v.triage_bulletin_docx, name="triage_bulletin_docx"),
    path("triage/items/<int:pk>/sort/", v.triage_sort, name="triage_sort"),
    path("triage/items/<int:pk>/notice.docx", v.triage_notice_docx, name="triage_notice_docx"),
]
