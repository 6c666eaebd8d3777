"""The verifiable random draw of an inspection group (抽取巡察组), office side.

1. New draw: the unit, optionally its inspection in preparation, and the constraints. Submitting commits: the
   eligible candidates are fixed (their digest recorded) and a secret seed is committed to by its SHA-256.
2. The committed draw: the 抽取公证 slip (commitment and digest, large, printable) is shown to the witnesses, with
   everyone excluded and why; the witnesses give their words and the office draws once.
3. The drawn page: the group with each member's role and why they were picked, unmet constraints, the revealed
   seed, the in-page replay, how to verify it elsewhere, the 巡察组人员名单 and the 抽取记录 to download, and the
   group put on the inspection.

Only the office of the committee subtree and admin see any of it (pool.selectors.draw_list); for everyone else
the pages do not exist (404).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.core.errors import ServiceError, StaleWrite, TransitionRefused
from xuncha.core.official_document import DOCX_CONTENT_TYPE
from xuncha.org.models import Role
from xuncha.org.selectors import unit_list
from xuncha.pool import documents, services
from xuncha.pool import draw as lots
from xuncha.pool import selectors as ps
from xuncha.pool.models import Draw, DrawStatus
from xuncha.pool.recusal import TieKind
from xuncha.rounds.models import Stage
from xuncha.rounds.selectors import inspection_list
from xuncha.web.decorators import private_no_store, roles_only
from xuncha.web.draw_forms import ApplyForm, DrawForm, RunForm
from xuncha.web.form_support import (
    apply_service_error,
    claim_token,
    int_value,
    issue_token,
    service_error_status,
    token_released,
    token_used,
)

DRAW_ROLES = (Role.ADMIN, Role.OFFICE)
PER_PAGE = 30


def _tie_labels() -> dict[str, str]:
    return {TieKind.WORKS: _("works there"), TieKind.WORKED: _("worked there"),
            TieKind.RELATIVE: _("relative there"), TieKind.HOME: _("home place"),
            TieKind.DECLARED: _("declared"), TieKind.INSPECTED: _("inspected it last round")}


def _manager(request: HttpRequest) -> None:
    if not ps.may_manage_pool(request.user):
        raise Http404


def _draw(request: HttpRequest, pk: int) -> Draw:
    _manager(request)
    return ps.draw_get(viewer=request.user, pk=pk)


def _drawn(request: HttpRequest, pk: int) -> Draw:
    draw = _draw(request, pk)
    if draw.status != DrawStatus.DRAWN:
        raise Http404
    return draw


# ---------------------------------------------------------------- list and new draw

@roles_only(*DRAW_ROLES)
def draw_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    units = unit_list(viewer=request.user)
    unit_id = int_value(request.GET.get("unit"))
    draws = ps.draw_list(viewer=request.user, unit_id=unit_id)
    page = Paginator(draws, PER_PAGE).get_page(request.GET.get("page"))
    for draw in page.object_list:
        draw.n_candidates, draw.n_excluded = len(draw.snapshot), len(draw.excluded)
        leader = next((p["id"] for p in draw.picked if p["role"] == "leader"), None)
        draw.leader_name = next((c.get("name", "") for c in draw.snapshot if c["id"] == leader), "")
    drawn_units = set(ps.draw_list(viewer=request.user).values_list("unit_id", flat=True))
    return private_no_store(render(request, "pool/draw_list.html", {
        "page": page, "unit_id": unit_id, "units": [u for u in units if u.pk in drawn_units],
    }))


def _draw_form(request: HttpRequest, data=None) -> DrawForm:
    units = unit_list(viewer=request.user).filter(is_active=True)
    inspections = inspection_list(viewer=request.user, stage=Stage.PREPARE)
    initial = {}
    if data is None:
        initial["form_token"] = issue_token(request)
        unit_id, inspection_id = int_value(request.GET.get("unit")), int_value(request.GET.get("inspection"))
        if unit_id and units.filter(pk=unit_id).exists():
            initial["unit"] = unit_id
        if inspection_id and inspections.filter(pk=inspection_id).exists():
            initial["inspection"] = inspection_id
            if "unit" not in initial:
                first = inspections.get(pk=inspection_id).units.first()
                initial["unit"] = first.pk if first else None
    return DrawForm(data, units=units, inspections=inspections, initial=initial)


@roles_only(*DRAW_ROLES)
def draw_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    error, status = None, 200
    if request.method == "POST":
        form = _draw_form(request, request.POST)
        token = request.POST.get("form_token", "")
        state, created_pk = claim_token(request, token)
        if state == "used":
            messages.info(request, _("This form had already been sent: the seed was committed once, not twice."))
            return redirect("web:draw_detail", pk=created_pk) if created_pk else redirect("web:draw_list")
        if state == "unknown":
            form.data = form.data.copy()
            form.data["form_token"] = issue_token(request)
            error, status = _("This form has expired. Check the entries and commit again."), 400
        elif not form.is_valid():
            token_released(token)
            status = 400
        else:
            d = form.cleaned_data
            try:
                draw = services.draw_commit(actor=request.user, unit=d["unit"], constraints=form.constraints(),
                                            inspection=d["inspection"])
            except ServiceError as exc:
                token_released(token)
                error, status = apply_service_error(form, exc), service_error_status(exc)
            else:
                token_used(request, token, draw.pk)
                messages.success(request, _("The seed is committed. Show the witnesses the commitment, then draw."))
                return redirect("web:draw_detail", pk=draw.pk)
    else:
        form = _draw_form(request)
    return private_no_store(render(request, "pool/draw_create.html", {"form": form, "error": error}, status=status))


# ---------------------------------------------------------------- one draw

def _excluded_rows(draw: Draw) -> list[dict]:
    labels = _tie_labels()
    return [{"name": e.get("name", ""), "committee": e.get("committee", ""), "reasons": e.get("reasons", []),
             "kinds": [labels.get(k, k) for k in e.get("kinds", [])]}
            for e in draw.excluded]


def _verification(draw: Draw) -> dict:
    result = lots.verify(services.draw_record(draw))
    return {"ok": result.ok, "problems": documents.verification_problems(result.problems)}


def _apply_state(draw: Draw) -> dict | None:
    """What putting the group on the inspection would do, for the drawn page."""
    inspection = draw.inspection
    if inspection is None:
        return None
    members = documents.group_members(draw)
    accounts = {m.talent.account_id: m for m in members if m.talent and m.talent.account_id}
    memberships = list(inspection.group.memberships.select_related("user").order_by("role", "id"))
    in_group = {m.user_id for m in memberships}
    return {
        "inspection": inspection,
        "open": inspection.stage == Stage.PREPARE,
        "memberships": [{"m": m, "drawn": m.user_id in accounts} for m in memberships],
        "no_account": [m.name for m in members if not (m.talent and m.talent.account_id)],
        "applied": bool(members) and all(
            m.talent and m.talent.account_id in in_group for m in members),
    }


def _detail(request: HttpRequest, draw: Draw, *, run_form: RunForm | None = None, error: str | None = None,
            status: int = 200) -> HttpResponse:
    drawn = draw.status == DrawStatus.DRAWN
    excluded = _excluded_rows(draw)
    context = {
        "draw": draw, "drawn": drawn, "constraints": documents.constraint_lines(draw.constraints),
        "n_candidates": len(draw.snapshot), "excluded": excluded,
        "excluded_tied": [e for e in excluded if e["kinds"]], "excluded_other": [e for e in excluded if not e["kinds"]],
        "candidates": documents.candidate_rows(draw), "error": error,
        "commitment_groups": _groups(draw.commitment), "digest_groups": _groups(draw.snapshot_digest),
    }
    if drawn:
        context.update({
            "members": documents.group_members(draw), "unmet": [services.unmet_words(u) for u in draw.unmet],
            "verification": _verification(draw), "apply": _apply_state(draw),
            "apply_form": ApplyForm(initial={"version": draw.version}),
        })
    else:
        context["run_form"] = run_form or RunForm(initial={"version": draw.version})
    return private_no_store(render(request, "pool/draw_detail.html", context, status=status))


def _groups(digest: str, size: int = 8) -> list[str]:
    """64 hex digits in groups of 8: easier to read aloud and to compare on paper."""
    return [digest[i:i + size] for i in range(0, len(digest), size)]


@roles_only(*DRAW_ROLES)
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _draw(request, pk))


@require_POST
@roles_only(*DRAW_ROLES)
def draw_run(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw(request, pk)
    if draw.status == DrawStatus.DRAWN:
        return _already_drawn(request, draw)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _detail(request, draw, run_form=form, status=400)
    try:
        services.draw_run(actor=request.user, draw=draw, witness_words=form.cleaned_data["witness_words"] or "",
                          expected_version=form.cleaned_data["version"])
    except (StaleWrite, TransitionRefused) as exc:
        draw.refresh_from_db()
        if draw.status == DrawStatus.DRAWN:
            return _already_drawn(request, draw)
        return _detail(request, draw, run_form=form, error=exc.message, status=service_error_status(exc))
    except ServiceError as exc:
        return _detail(request, draw, run_form=form, error=apply_service_error(form, exc), status=400)
    messages.success(request, _("The group is drawn and the seed revealed. Check the replay below with the "
                                "witnesses."))
    return redirect("web:draw_detail", pk=draw.pk)


def _already_drawn(request: HttpRequest, draw: Draw) -> HttpResponse:
    messages.warning(request, _("This draw was already made (%(when)s): a draw is made once, and the group below "
                                "is its only result. Nothing was drawn again.")
                     % {"when": documents._local(draw.drawn_at)})
    return redirect("web:draw_detail", pk=draw.pk)


@roles_only(*DRAW_ROLES)
def draw_slip(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw(request, pk)
    return private_no_store(render(request, "pool/draw_slip.html", {
        "draw": draw, "constraints": documents.constraint_lines(draw.constraints), "n_candidates": len(draw.snapshot),
        "n_excluded": len(draw.excluded), "commitment_groups": _groups(draw.commitment),
        "digest_groups": _groups(draw.snapshot_digest), "drawn": draw.status == DrawStatus.DRAWN,
    }))


@require_POST
@roles_only(*DRAW_ROLES)
def draw_apply(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _drawn(request, pk)
    if draw.inspection_id is None:
        raise Http404
    form = ApplyForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        result = services.draw_apply(actor=request.user, draw=draw, expected_version=version)
    except StaleWrite:
        messages.warning(request, _("The draw changed while you were looking at it (the group may already have "
                                    "been put on the inspection). Check the group below, then apply again if "
                                    "needed."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        words = [_("The drawn group is on %(group)s.") % {"group": result["group"].name}]
        if result["added"]:
            words.append(_("Added: %(names)s.") % {"names": "、".join(result["added"])})
        if result["stepped_down"]:
            words.append(_("No longer group leader (stays a member): %(names)s.")
                         % {"names": "、".join(result["stepped_down"])})
        if result["kept"]:
            words.append(_("Already in the group but not drawn, kept: %(names)s.")
                         % {"names": "、".join(result["kept"])})
        words.append(_("Each member signs the confidentiality pledge before opening anything of the group."))
        messages.success(request, " ".join(words))
    return redirect("web:draw_detail", pk=draw.pk)


# ---------------------------------------------------------------- downloads

def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private_no_store(response)


@roles_only(*DRAW_ROLES)
def draw_group_docx(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _drawn(request, pk)
    return _docx(documents.group_list_docx(draw=draw), documents.document_filename(draw, "group"))


@roles_only(*DRAW_ROLES)
def draw_record_docx(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _drawn(request, pk)
    return _docx(documents.draw_record_docx(draw=draw), documents.document_filename(draw, "record"))


@roles_only(*DRAW_ROLES)
def draw_record_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The record `xuncha pool verify-draw --record FILE` replays (as `xuncha pool export-draw` prints it)."""
    draw = _drawn(request, pk)
    body = json.dumps(services.draw_record(draw), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"draw-{draw.pk}-record.json")
    return private_no_store(response)
