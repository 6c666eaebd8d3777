"""URLs of the individual talks (个别谈话). web/urls.py appends these, so they are named web:talk_list and so on."""

from django.urls import path

from xuncha.web import talk_views as v

urlpatterns = [
    path("talks/", v.talk_list, name="talk_list"),
    path("inspections/<int:pk>/talks/new/", v.talk_plan, name="talk_plan"),
    path("talks/attachments/<int:pk>/", v.talk_attachment, name="talk_attachment"),
    path("talks/<int:pk>/", v.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/record/", v.talk_record, name="talk_record"),
    path("talks/<int:pk>/cancel/", v.talk_cancel, name="talk_cancel"),
]
