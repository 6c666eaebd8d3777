"""The public report pages (举报): no login, phone-first, and blind to who the reporter is.

No view here reads, logs or stores an IP address: the `public` decorator blanks REMOTE_ADDR and the proxy
headers before anything else sees the request. Submissions are rate-limited by counters kept in the cache
only, keyed by a hash of a random per-browser cookie, never by address. The receipt code travels only in
POST bodies and is shown once, in the answer to the submission, with `Cache-Control: no-store`.
"""

from __future__ import annotations

import hashlib
import itertools
from functools import wraps

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.org.models import Unit
from xuncha.reports import services
from xuncha.reports.models import ReportStatus
from xuncha.reports.receipts import receipt_display
from xuncha.reports.spam import form_signals, form_stamp
from xuncha.rounds.models import Inspection, Stage
from xuncha.web.anonymous import anonymous, browser_digest, count_up, rate_window

TOKEN_SALT = "report-inspection"
HONEYPOT_FIELD = "website"


def inspection_token(inspection: Inspection) -> str:
    """The signed token in an inspection's public form URL (the QR code target)."""
    return signing.dumps(inspection.pk, salt=TOKEN_SALT)


def public_form_path(inspection: Inspection) -> str:
    return reverse("report:form", args=[inspection_token(inspection)])


def _inspection(token: str) -> Inspection:
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise Http404("unknown report form") from exc
    inspection = (Inspection.objects.select_related("round__committee", "group").prefetch_related("units")
                  .filter(pk=pk).first())
    if inspection is None:
        raise Http404("unknown report form")
    return inspection


# --- Rate limit (cache only, never by IP) -------------------------------------------------------------

def _over_limit(request: HttpRequest) -> bool:
    count = count_up(f"report-posts:{browser_digest(request) or 'no-cookie'}")
    return count > int(settings.REPORT_RATE_LIMIT)


def public(view):
    """Blank the client's address, rate-limit POSTs, and keep answers out of caches and referrers."""

    @anonymous
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and _over_limit(request):
            return render(request, "report/limited.html", {"window_minutes": max(1, rate_window() // 60)},
                          status=429)
        return view(request, *args, **kwargs)

    return wrapper


# --- Pages --------------------------------------------------------------------------------------------

def _open_inspections():
    day = today()
    return (Inspection.objects.filter(stage=Stage.FIELDWORK)
            .filter(Q(reports_accepted_until__isnull=True) | Q(reports_accepted_until__gte=day))
            .select_related("round__committee", "group").prefetch_related("units")
            .order_by("round__committee__path", "-round__year", "-round__number", "round_id", "group__name"))


@public
@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    rounds = []
    for rnd, items in itertools.groupby(_open_inspections(), key=lambda i: i.round):
        rounds.append({
            "round": rnd,
            "committee": rnd.committee,
            "inspections": [{"inspection": i, "units": list(i.units.all()), "url": public_form_path(i)}
                            for i in items],
        })
    return render(request, "report/start.html", {"rounds": rounds})


def _channels(inspection: Inspection) -> list[tuple[str, str]]:
    channels = []
    if inspection.report_phone:
        channels.append((_("Phone"), inspection.report_phone))
    if inspection.report_mailbox:
        channels.append((_("Post"), inspection.report_mailbox))
    if inspection.report_address:
        channels.append((_("In person"), inspection.report_address))
    return channels


def _read_uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    uploads = request.FILES.getlist("files")
    if len(uploads) > services.MAX_FILES:
        raise ServiceError(_("At most %(n)s files can be attached.") % {"n": services.MAX_FILES}, field="files")
    limit = int(settings.EVIDENCE_MAX_BYTES)
    files = []
    for upload in uploads:
        if upload.size is not None and upload.size > limit:
            raise ServiceError(_("A file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                               field="files")
        data = bytearray()
        for chunk in upload.chunks():
            data += chunk
            if len(data) > limit:
                raise ServiceError(_("A file is larger than the limit of %(mb)s MB.")
                                   % {"mb": limit // (1024 * 1024)}, field="files")
        files.append((upload.name or "", bytes(data)))
    return files


def _stamp_key(stamp: str) -> str:
    return "report-stamp-used:" + hashlib.sha256(stamp.encode()).hexdigest()[:32]


@public
@require_http_methods(["GET", "POST"])
def form(request: HttpRequest, token: str) -> HttpResponse:
    inspection = _inspection(token)
    units = list(inspection.units.all())
    closed = services.reports_closed_reason(inspection)
    base = {"inspection": inspection, "units": units, "channels": _channels(inspection), "token": token,
            "honeypot": HONEYPOT_FIELD}
    if closed:
        return render(request, "report/closed.html", {**base, "reason": closed},
                      status=403 if request.method == "POST" else 200)
    if request.method == "GET":
        return render(request, "report/form.html", {**base, "stamp": form_stamp(), "values": {}, "mode": "anonymous"})

    post = request.POST
    stamp = post.get("stamp", "")
    mode = "named" if post.get("mode") == "named" else "anonymous"
    values = {k: post.get(k, "") for k in ("unit", "person", "content", "name", "phone", "id_number")}
    context = {**base, "stamp": stamp or form_stamp(), "values": values, "mode": mode}
    if stamp and cache.get(_stamp_key(stamp)):
        return render(request, "report/already_sent.html", base, status=409)
    unit = None
    if values["unit"].strip():
        try:
            unit = Unit.objects.filter(pk=int(values["unit"])).first()
        except ValueError:
            unit = None
    try:
        files = _read_uploads(request)
        report, code = services.report_submit(
            inspection=inspection, content=values["content"], concerns_unit=unit, concerns_person=values["person"],
            anonymous=mode == "anonymous",
            identity=None if mode == "anonymous" else {"name": values["name"], "phone": values["phone"],
                                                       "id_number": values["id_number"]},
            files=files, form_signals=form_signals(honeypot=post.get(HONEYPOT_FIELD, ""), stamp=stamp),
        )
    except ServiceError as exc:
        return render(request, "report/form.html", {**context, "error": exc.message, "error_field": exc.field},
                      status=400)
    if stamp:
        cache.set(_stamp_key(stamp), 1, timeout=3 * 24 * 3600)
    # The code is shown in this answer only: it is not stored anywhere and the page is not cached.
    return render(request, "report/done.html", {**base, "code": receipt_display(code),
                                                "received_on": report.received_on})


PUBLIC_STATUS = {
    ReportStatus.RECEIVED: "received",
    ReportStatus.SPAM: "received",  # never tell a sender (or a rescued reporter) that it was taken for spam
    ReportStatus.SORTED: "sorted",
    ReportStatus.FORWARDED: "forwarded",
    ReportStatus.ARCHIVED: "archived",
}


def _status_words(status: str) -> tuple[str, str]:
    key = PUBLIC_STATUS.get(status, "received")
    words = {
        "received": (_("Received"), _("Your report has been received and is waiting to be registered and sorted.")),
        "sorted": (_("Being dealt with"), _("Your report has been registered and the inspection group is dealing "
                                            "with it according to the rules.")),
        "forwarded": (_("Passed on"), _("Your report concerns matters handled by another competent department "
                                        "and has been passed on to it according to the rules.")),
        "archived": (_("Concluded"), _("The handling of your report has been concluded and it has been filed.")),
    }
    return words[key]


def _status_context(report, code: str) -> dict:
    title, explanation = _status_words(report.status)
    messages = list(report.messages.all())
    return {
        "report": report, "code": receipt_display(code), "status_title": title, "status_text": explanation,
        "replies": [m for m in messages if not m.from_reporter],
        "additions": [m for m in messages if m.from_reporter],
        "attachment_count": report.attachments.count(),
        "closed": services.reports_closed_reason(report.inspection),
    }


@public
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "report/status_lookup.html", {})
    code = request.POST.get("code", "")
    action = request.POST.get("action", "view")
    notice = ""
    add_error = ""
    values = {}
    if action == "add":
        values = {"text": request.POST.get("text", "")}
        try:
            files = _read_uploads(request)
            services.report_add_information(code=code, text=values["text"], files=files)
        except ServiceError as exc:
            if exc.field == "code":
                return render(request, "report/status_lookup.html", {"error": exc.message}, status=404)
            add_error = exc.message
        else:
            notice = _("Thank you: your additional information has been sent to the inspection group.")
            values = {}
    report = services.report_status(code)
    if report is None:
        return render(request, "report/status_lookup.html", {"error": services.report_lookup_error()}, status=404)
    context = _status_context(report, code)
    context.update({"notice": notice, "add_error": add_error, "values": values})
    return render(request, "report/status.html", context, status=400 if add_error else 200)


@public
@require_http_methods(["GET"])
def qr(request: HttpRequest, token: str) -> HttpResponse:
    inspection = _inspection(token)
    url = request.build_absolute_uri(public_form_path(inspection))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    return HttpResponse('<?xml version="1.0" encoding="utf-8"?>\n' + svg, content_type="image/svg+xml")
