"""URLs of the report registry's staff pages (信访举报) and the office head's identity decisions.

web/urls.py appends these to its own patterns, so they are named web:registry_list and so on.
"""

from django.urls import path

from xuncha.web import registry_views as v

urlpatterns = [
    path("registry/", v.registry_list, name="registry_list"),
    path("registry/inspections/<int:pk>/new/", v.registry_register, name="registry_register"),
    path("registry/identity-requests/", v.identity_requests, name="identity_requests"),
    path("registry/identity-requests/<int:pk>/decide/", v.identity_decide, name="identity_decide"),
    path("registry/attachments/<int:pk>/", v.registry_attachment, name="registry_attachment"),
    path("registry/<int:pk>/", v.registry_detail, name="registry_detail"),
    path("registry/<int:pk>/sort/", v.registry_sort, name="registry_sort"),
    path("registry/<int:pk>/forward/", v.registry_forward, name="registry_forward"),
    path("registry/<int:pk>/reply/", v.registry_reply, name="registry_reply"),
    path("registry/<int:pk>/identity/request/", v.registry_identity_request, name="registry_identity_request"),
    path("registry/<int:pk>/identity/reveal/", v.registry_identity_reveal, name="registry_identity_reveal"),
]
