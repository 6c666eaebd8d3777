"""URLs of the group draw pages (抽取巡察组). web/urls.py appends these, so they are named web:<name>."""

from django.urls import path

from xuncha.web import draw_views as v

urlpatterns = [
    path("pool/draws/", v.draw_list, name="draw_list"),
    path("pool/draws/new/", v.draw_create, name="draw_create"),
    path("pool/draws/<int:pk>/", v.draw_detail, name="draw_detail"),
    path("pool/draws/<int:pk>/slip/", v.draw_slip, name="draw_slip"),
    path("pool/draws/<int:pk>/draw/", v.draw_run, name="draw_run"),
    path("pool/draws/<int:pk>/apply/", v.draw_apply, name="draw_apply"),
    path("pool/draws/<int:pk>/group.docx", v.draw_group_docx, name="draw_group_docx"),
    path("pool/draws/<int:pk>/record.docx", v.draw_record_docx, name="draw_record_docx"),
    path("pool/draws/<int:pk>/record.json", v.draw_record_json, name="draw_record_json"),
]
