"""URLs of the feedback, rectification-plan and written-report pages.

web/urls.py appends these to its own patterns, so they are named web:plan_list and so on.
"""

from django.urls import path

from xuncha.web import plan_views as v

urlpatterns = [
    path("rectification/plans/", v.plan_list, name="plan_list"),
    path("rectification/plans/<int:pk>/", v.plan_detail, name="plan_detail"),
    path("rectification/plans/<int:pk>/tasks/new/", v.plan_task_create, name="plan_task_create"),
    path("rectification/plans/<int:pk>/submit/", v.plan_submit, name="plan_submit"),
    path("rectification/plans/<int:pk>/accept/", v.plan_accept, name="plan_accept"),
    path("rectification/plans/<int:pk>/return/", v.plan_return, name="plan_return"),
    path("rectification/plans/<int:pk>/three-lists.xlsx", v.plan_export, name="plan_export"),
    path("rectification/plans/<int:pk>/reconciliation.xlsx", v.plan_reconciliation_export,
         name="plan_reconciliation_export"),
    path("rectification/plans/<int:pk>/template.xlsx", v.plan_template, name="plan_template"),
    path("rectification/plans/<int:pk>/import/", v.plan_import, name="plan_import"),
    path("rectification/plans/<int:pk>/feedback/", v.plan_feedback, name="plan_feedback"),
    path("rectification/plans/<int:pk>/feedback/sign/", v.plan_feedback_sign, name="plan_feedback_sign"),
    path("rectification/plans/<int:pk>/feedback.docx", v.plan_feedback_docx, name="plan_feedback_docx"),
    path("rectification/plans/<int:pk>/feedback/scan/", v.plan_feedback_scan, name="plan_feedback_scan"),
    path("rectification/plans/<int:pk>/report/", v.plan_report, name="plan_report"),
    path("rectification/plans/<int:pk>/report.docx", v.plan_report_docx, name="plan_report_docx"),
    path("rectification/plans/<int:pk>/report/disclose/", v.plan_report_disclose, name="plan_report_disclose"),
    path("rectification/plans/<int:pk>/report/document/", v.plan_report_document, name="plan_report_document"),
]
