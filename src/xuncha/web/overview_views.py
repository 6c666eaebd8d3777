"""The rectification dashboard (office and leading group) and each account's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.notifications import selectors as notification_selectors
from xuncha.notifications import services as notification_services
from xuncha.org.models import Role
from xuncha.rectification.selectors import task_list
from xuncha.stats import rectification as figures
from xuncha.web.decorators import roles_only
from xuncha.web.ledger_views import _annotate_tasks
from xuncha.web.views import _float, round_filter


@roles_only(Role.ADMIN, Role.LEADER, Role.OFFICE)
def rectification_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds, round_id, selected = round_filter(request)
    totals = figures.rectification_figures(viewer=user, round_id=round_id)
    by_unit = figures.rectification_by_unit(viewer=user, round_id=round_id)
    by_round = figures.rectification_by_round(viewer=user)
    by_committee = figures.rectification_by_committee(viewer=user) if round_id is None else []
    overdue = _annotate_tasks(task_list(viewer=user, round_id=round_id, overdue=True).order_by("deadline", "id")[:15])
    chart_data = {
        "units": [{"name": u["unit"], "closed": u["closed"], "open": u["tasks"] - u["closed"] - u["overdue"],
                   "overdue": u["overdue"]} for u in by_unit[:15]],
        "rounds": [{"name": r["label"], "rate": _float(r["rectification_rate"]), "on_time": _float(r["on_time_rate"])}
                   for r in reversed(by_round)],
        "labels": {"closed": _("Closed"), "open": _("Open, not overdue"), "overdue": _("Overdue"),
                   "rate": _("Rectification rate"), "on_time": _("On-time rate"), "empty": _("No data yet")},
    }
    return render(request, "overview/dashboard.html", {
        "rounds": rounds, "selected": selected, "f": totals, "by_unit": by_unit, "by_round": by_round,
        "by_committee": by_committee, "overdue": overdue, "chart_data": chart_data,
    })


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = notification_selectors.notification_list(viewer=request.user, unread=True if unread_only else None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "overview/notifications.html", {
        "page": page, "unread_only": unread_only,
        "unread": notification_selectors.unread_count(viewer=request.user),
    })


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_selectors.notification_get(viewer=request.user, pk=pk)
    notification_services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("web:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notification_services.notifications_mark_all_read(actor=request.user)
    return redirect("web:notification_list")
