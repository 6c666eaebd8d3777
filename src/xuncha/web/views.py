from django.http import HttpResponse


def workbench(request):
    return HttpResponse("ok")


def login_view(request):
    return HttpResponse("login")
