"""URLs of the rectification pages beyond the ledger: evidence, 催办, 问责, flags, random re-checks.

web/urls.py appends these to its own patterns, so they are named web:evidence_download and so on.
"""

from django.urls import path

from xuncha.web import rectify_views as v

urlpatterns = [
    path("rectification/evidence/<int:pk>/", v.evidence_download, name="evidence_download"),
    path("rectification/tasks/<int:pk>/urge/", v.task_urge, name="task_urge"),
    path("rectification/tasks/<int:pk>/accountability/", v.task_accountability, name="task_accountability"),
    path("rectification/accountability/", v.accountability_list, name="accountability_list"),
    path("rectification/flags/", v.flag_list, name="flag_list"),
    path("rectification/flags/<int:pk>/", v.flag_detail, name="flag_detail"),
    path("rectification/flags/<int:pk>/resolve/", v.flag_resolve, name="flag_resolve"),
    path("rectification/rechecks/", v.recheck_list, name="recheck_list"),
    path("rectification/rechecks/draw/", v.recheck_draw, name="recheck_draw"),
    path("rectification/rechecks/<int:pk>/", v.recheck_detail, name="recheck_detail"),
    path("rectification/rechecks/items/<int:pk>/record/", v.recheck_record, name="recheck_record"),
]
