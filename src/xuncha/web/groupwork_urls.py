"""URLs of group discipline (巡察组纪律). web/urls.py appends these, so they are named web:<name>."""

from django.urls import path

from xuncha.web import groupwork_views as v

urlpatterns = [
    path("groupwork/", v.groupwork_home, name="groupwork_home"),
    path("groupwork/requests/", v.grouprequest_list, name="grouprequest_list"),
    path("groupwork/groups/<int:pk>/", v.groupwork_group, name="groupwork_group"),
    path("groupwork/groups/<int:pk>/pledge/", v.groupwork_pledge, name="groupwork_pledge"),
    path("groupwork/groups/<int:pk>/branch/", v.groupwork_branch, name="groupwork_branch"),
    path("groupwork/groups/<int:pk>/attendance/", v.attendance_month, name="attendance_month"),
    path("groupwork/groups/<int:pk>/attendance/sign-in/", v.attendance_sign_in, name="attendance_sign_in"),
    path("groupwork/groups/<int:pk>/attendance/record/", v.attendance_record, name="attendance_record"),
    path("groupwork/groups/<int:pk>/attendance.xlsx", v.attendance_export, name="attendance_export"),
    path("groupwork/groups/<int:pk>/logs/", v.worklog_list, name="worklog_list"),
    path("groupwork/groups/<int:pk>/logs/write/", v.worklog_write, name="worklog_write"),
    path("groupwork/logs/<int:pk>/", v.worklog_detail, name="worklog_detail"),
    path("groupwork/groups/<int:pk>/meetings/", v.meeting_list, name="meeting_list"),
    path("groupwork/groups/<int:pk>/meetings/new/", v.meeting_create, name="meeting_create"),
    path("groupwork/meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("groupwork/meetings/<int:pk>/edit/", v.meeting_edit, name="meeting_edit"),
    path("groupwork/groups/<int:pk>/requests/new/", v.grouprequest_create, name="grouprequest_create"),
    path("groupwork/requests/<int:pk>/", v.grouprequest_detail, name="grouprequest_detail"),
    path("groupwork/requests/<int:pk>/answer/", v.grouprequest_answer, name="grouprequest_answer"),
]
