"""URLs of the ledger pages (problems, rectification, the unit's portal, clues, suggestions).

web/urls.py appends these to its own patterns, so they are named web:problem_list and so on.
"""

from django.urls import path

from xuncha.web import ledger_views as v

urlpatterns = [
    path("problems/", v.problem_list, name="problem_list"),
    path("problems/export.xlsx", v.problem_export, name="problem_export"),
    path("problems/import/", v.problem_import, name="problem_import"),
    path("problems/import/template.xlsx", v.problem_import_template, name="problem_import_template"),
    path("problems/<int:pk>/", v.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", v.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/tasks/new/", v.task_create, name="task_create"),
    path("inspections/<int:pk>/problems/new/", v.problem_create, name="problem_create"),
    path("rectification/", v.task_list, name="task_list"),
    path("rectification/export.xlsx", v.task_export, name="task_export"),
    path("rectification/tasks/<int:pk>/", v.task_detail, name="task_detail"),
    path("rectification/tasks/<int:pk>/progress/", v.task_progress, name="task_progress"),
    path("rectification/tasks/<int:pk>/submit/", v.task_submit, name="task_submit"),
    path("rectification/tasks/<int:pk>/close/", v.task_close, name="task_close"),
    path("rectification/tasks/<int:pk>/return/", v.task_return, name="task_return"),
    path("portal/", v.unit_portal, name="unit_portal"),
    path("clues/", v.clue_list, name="clue_list"),
    path("clues/<int:pk>/", v.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/dispose/", v.clue_dispose, name="clue_dispose"),
    path("clues/<int:pk>/sign-for/", v.clue_sign_for, name="clue_sign_for"),
    path("clues/<int:pk>/result/", v.clue_result, name="clue_result"),
    path("clues/<int:pk>/supervise/", v.clue_supervise, name="clue_supervise"),
    path("clues/<int:pk>/transfer-letter.docx", v.clue_transfer_letter, name="clue_transfer_letter"),
    path("suggestions/", v.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/complete/", v.suggestion_complete, name="suggestion_complete"),
]
