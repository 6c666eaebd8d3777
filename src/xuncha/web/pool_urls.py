"""URLs of the talent pool (巡察人才库) and the assessments (考评). web/urls.py appends these, so they are named
web:<name>. The draw's pages are elsewhere."""

from django.urls import path

from xuncha.web import pool_views as v

urlpatterns = [
    path("pool/", v.pool_list, name="pool_list"),
    path("pool/new/", v.pool_create, name="pool_create"),
    path("pool/import/", v.pool_import, name="pool_import"),
    path("pool/import/template.xlsx", v.pool_import_template, name="pool_import_template"),
    path("pool/<int:pk>/", v.pool_detail, name="pool_detail"),
    path("pool/<int:pk>/edit/", v.pool_edit, name="pool_edit"),
    path("pool/<int:pk>/availability/", v.pool_availability, name="pool_availability"),
    path("pool/<int:pk>/work/", v.pool_work_add, name="pool_work_add"),
    path("pool/<int:pk>/work/remove/", v.pool_work_remove, name="pool_work_remove"),
    path("pool/<int:pk>/relatives/", v.pool_relative_add, name="pool_relative_add"),
    path("pool/<int:pk>/relatives/remove/", v.pool_relative_remove, name="pool_relative_remove"),
    path("pool/<int:pk>/declarations/", v.pool_declaration_add, name="pool_declaration_add"),
    path("pool/<int:pk>/declarations/remove/", v.pool_declaration_remove, name="pool_declaration_remove"),
    path("pool/groups/", v.pool_groups, name="pool_groups"),
    path("pool/groups/<int:pk>/", v.pool_group_detail, name="pool_group_detail"),
    path("pool/groups/<int:pk>/assess/", v.pool_assess, name="pool_assess"),
]
