"""The talent pool (巡察人才库): the list with its filters and the 组长库, a member's page (work history, relatives,
declarations, groups served on, assessments, ties with a unit), the forms to add and edit, the .xlsx import, and the
assessments (考评) of each group.

The pool holds personal data: only the office of the committee subtree and admin see it; for everyone else the pages
do not exist (404). A group's assessment page is also open to the group's own leader once they signed the pledge.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.core.errors import ServiceError, ValidationFailed
from xuncha.findings import xlsx
from xuncha.org.models import Role
from xuncha.pool import members
from xuncha.pool import selectors as ps
from xuncha.pool.importer import parse_pool_workbook, pool_template_xlsx
from xuncha.pool.models import AssessorRole, Speciality, Standing, Talent
from xuncha.pool.recusal import ties_for
from xuncha.rectification.evidence import read_upload
from xuncha.web import pool_forms as pf
from xuncha.web.decorators import private_no_store, roles_only
from xuncha.web.form_support import (
    apply_service_error,
    claim_token,
    int_value,
    issue_token,
    service_error_status,
    token_released,
    token_used,
)

POOL_ROLES = (Role.ADMIN, Role.OFFICE)
ASSESS_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)
PER_PAGE = 50


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private_no_store(response)


# ---------------------------------------------------------------- the list

@roles_only(*POOL_ROLES)
def pool_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    committees = list(ps.pool_committees(viewer=viewer))
    committee_id = int_value(request.GET.get("pool"))
    if committee_id not in {c.pk for c in committees}:
        committee_id = None
    speciality = request.GET.get("speciality") if request.GET.get("speciality") in Speciality.values else None
    standing = request.GET.get("standing") if request.GET.get("standing") in Standing.values else None
    leaders = request.GET.get("leaders") == "1"
    search = (request.GET.get("q") or "").strip()[:50]
    filtered = ps.talent_list(viewer=viewer, committee_id=committee_id, speciality=speciality, standing=standing,
                              search=search)
    counts = ps.talent_counts(filtered)
    shown = filtered.filter(can_lead=True) if leaders else filtered
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"talent": t, "age": members.talent_age(t), "badge": pf.STANDING_BADGE.get(t.standing, "badge-gray")}
            for t in page.object_list]
    keep = request.GET.copy()
    keep.pop("page", None)
    keep.pop("leaders", None)
    return private_no_store(render(request, "pool/list.html", {
        "page": page, "rows": rows, "counts": counts, "committees": committees, "committee_id": committee_id,
        "specialities": Speciality.choices, "speciality": speciality or "", "standings": Standing.choices,
        "standing": standing or "", "q": search, "leaders": leaders, "base_query": keep.urlencode(),
        "filtered": bool(committee_id or speciality or standing or search),
    }))


# ---------------------------------------------------------------- create and edit

def _unit_names(committees) -> list[str]:
    names: list[str] = []
    for committee in committees:
        names += [str(u) for u in ps.pool_units(committee)]
    return sorted(set(names))


@roles_only(*POOL_ROLES)
def pool_create(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    committees = ps.pool_committees(viewer=viewer)
    if not committees.exists():
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        form = pf.TalentForm(request.POST, viewer=viewer, committees=committees)
        if form.is_valid():
            try:
                talent = members.talent_create(actor=viewer, committee=form.cleaned_data["committee"],
                                               **form.service_data())
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
            else:
                messages.success(request, _("%(name)s was added to the pool.") % {"name": talent.name})
                return redirect("web:pool_detail", pk=talent.pk)
        else:
            status = 400
    else:
        initial = {"committee": viewer.committee if viewer.committee_id else committees.first(), "available": True}
        form = pf.TalentForm(viewer=viewer, committees=committees, initial=initial)
    return private_no_store(render(request, "pool/form.html", {
        "form": form, "error": error, "talent": None, "unit_names": _unit_names(committees),
    }, status=status))


@roles_only(*POOL_ROLES)
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    talent = ps.talent_get(viewer=viewer, pk=pk)
    error, status = None, 200
    if request.method == "POST":
        form = pf.TalentForm(request.POST, viewer=viewer, committees=None, talent=talent)
        if form.is_valid():
            try:
                members.talent_update(actor=viewer, talent=talent, expected_version=form.cleaned_data["version"],
                                      **form.service_data())
            except ServiceError as exc:
                error, status = apply_service_error(form, exc), service_error_status(exc)
            else:
                messages.success(request, _("The pool record was saved."))
                return redirect("web:pool_detail", pk=talent.pk)
        else:
            status = 400
    else:
        initial = {name: getattr(talent, name) for name in pf.TalentForm.SERVICE_FIELDS if name != "id_number"}
        initial.update({"gender": "", "birth_date": None, "version": talent.version})
        form = pf.TalentForm(viewer=viewer, committees=None, talent=talent, initial=initial)
    return private_no_store(render(request, "pool/form.html", {
        "form": form, "error": error, "talent": talent, "unit_names": _unit_names([talent.committee]),
    }, status=status))


# ---------------------------------------------------------------- a member's page

def _ties(talent: Talent, form: pf.TieCheckForm) -> dict | None:
    if not form.is_bound or not form.is_valid():
        return None
    unit, years = form.cleaned_data["unit"], form.cleaned_data.get("years") or 0
    found = ties_for([talent], unit, work_years=years).get(talent.pk, [])
    return {"unit": unit, "years": years, "ties": found}


def _detail(request: HttpRequest, talent: Talent, *, status: int = 200, error: str | None = None,
            **forms) -> HttpResponse:
    viewer = request.user
    tie_form = pf.TieCheckForm(request.GET if request.GET.get("unit") else None, talent=talent)
    memberships = ps.talent_memberships(talent)
    assessable = {g.pk for g in ps.pool_group_list(viewer=viewer).filter(pk__in=[m.group_id for m in memberships])}
    served = [{"membership": m, "inspections": list(m.group.inspections.all()), "may_open": m.group_id in assessable}
              for m in memberships]
    context = {
        "talent": talent, "masked_id": ps.mask_id_number(talent.id_number), "age": members.talent_age(talent),
        "standing_badge": pf.STANDING_BADGE.get(talent.standing, "badge-gray"),
        "periods": list(talent.work_periods.select_related("unit", "unit__parent")),
        "relatives": [{"relative": r, "masked_id": ps.mask_id_number(r.id_number)}
                      for r in talent.relatives.select_related("unit", "unit__parent")],
        "declarations": list(talent.declarations.select_related("unit", "unit__parent", "recorded_by")),
        "served": served, "assessments": list(ps.talent_assessments(talent)),
        "tie_form": tie_form, "tie_result": _ties(talent, tie_form), "error": error,
        "work_form": forms.get("work_form") or pf.WorkPeriodForm(),
        "relative_form": forms.get("relative_form") or pf.RelativeForm(),
        "declaration_form": forms.get("declaration_form") or pf.DeclarationForm(talent=talent),
        "availability_form": forms.get("availability_form") or pf.AvailabilityForm(initial={
            "available": talent.available, "unavailable_reason": talent.unavailable_reason,
            "can_lead": talent.can_lead, "version": talent.version}),
        "open_form": forms.get("open_form", ""),
        "unit_names": _unit_names([talent.committee]),
    }
    return private_no_store(render(request, "pool/detail.html", context, status=status))


@roles_only(*POOL_ROLES)
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, ps.talent_get(viewer=request.user, pk=pk))


def _add(request: HttpRequest, pk: int, form_class, service, form_name: str, done: str, anchor: str,
         **form_kwargs) -> HttpResponse:
    """Add a row (a post, a relative, a declaration) from its form on the member's page."""
    talent = ps.talent_get(viewer=request.user, pk=pk)
    extra = {"talent": talent} if form_kwargs.get("with_talent") else {}
    form = form_class(request.POST, **extra)
    if form.is_valid():
        try:
            service(actor=request.user, talent=talent, **form.cleaned_data)
        except ServiceError as exc:
            error = apply_service_error(form, exc)
            return _detail(request, talent, status=service_error_status(exc), error=error,
                           open_form=form_name, **{form_name: form})
        messages.success(request, done)
        return redirect(reverse("web:pool_detail", kwargs={"pk": talent.pk}) + anchor)
    return _detail(request, talent, status=400, open_form=form_name, **{form_name: form})


def _remove(request: HttpRequest, pk: int, service, key: str, anchor: str) -> HttpResponse:
    talent = ps.talent_get(viewer=request.user, pk=pk)
    try:
        service(actor=request.user, talent=talent, **{key: int_value(request.POST.get("row"))})
    except ServiceError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("The row was removed."))
    return redirect(reverse("web:pool_detail", kwargs={"pk": talent.pk}) + anchor)


@require_POST
@roles_only(*POOL_ROLES)
def pool_work_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk, pf.WorkPeriodForm, members.work_period_add, "work_form", _("The post was added."),
                "#work")


@require_POST
@roles_only(*POOL_ROLES)
def pool_work_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, pk, members.work_period_remove, "period_id", "#work")


@require_POST
@roles_only(*POOL_ROLES)
def pool_relative_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk, pf.RelativeForm, members.relative_add, "relative_form", _("The relative was added."),
                "#relatives")


@require_POST
@roles_only(*POOL_ROLES)
def pool_relative_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, pk, members.relative_remove, "relative_id", "#relatives")


@require_POST
@roles_only(*POOL_ROLES)
def pool_declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk, pf.DeclarationForm, members.declaration_add, "declaration_form",
                _("The declaration was recorded."), "#declarations", with_talent=True)


@require_POST
@roles_only(*POOL_ROLES)
def pool_declaration_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, pk, members.declaration_remove, "declaration_id", "#declarations")


@require_POST
@roles_only(*POOL_ROLES)
def pool_availability(request: HttpRequest, pk: int) -> HttpResponse:
    talent = ps.talent_get(viewer=request.user, pk=pk)
    form = pf.AvailabilityForm(request.POST)
    if not form.is_valid():
        return _detail(request, talent, status=400, availability_form=form)
    d = form.cleaned_data
    try:
        members.talent_set_availability(actor=request.user, talent=talent, expected_version=d["version"],
                                        available=d["available"], unavailable_reason=d["unavailable_reason"],
                                        can_lead=d["can_lead"])
    except ServiceError as exc:
        error = apply_service_error(form, exc)
        return _detail(request, talent, status=service_error_status(exc), error=error, availability_form=form)
    messages.success(request, _("Availability and the group-leader pool were saved."))
    return redirect("web:pool_detail", pk=talent.pk)


# ---------------------------------------------------------------- import

@roles_only(*POOL_ROLES)
def pool_import_template(request: HttpRequest) -> HttpResponse:
    committees = ps.pool_committees(viewer=request.user)
    committee = committees.filter(pk=int_value(request.GET.get("pool"))).first() if request.GET.get("pool") else None
    committee = committee or (request.user.committee if request.user.committee_id else None)
    return _download(pool_template_xlsx(committee), _("talent-pool-template.xlsx"))


@roles_only(*POOL_ROLES)
def pool_import(request: HttpRequest) -> HttpResponse:
    """All or nothing: every bad row of every sheet is listed, and nothing is written until the file is clean."""
    viewer = request.user
    committees = ps.pool_committees(viewer=viewer)
    row_errors: list = []
    error, status = None, 200
    if request.method == "POST":
        form = pf.PoolImportForm(request.POST, request.FILES, committees=committees)
        token = request.POST.get("form_token", "")
        state, _created = claim_token(request, token)
        if state == "used":
            messages.info(request, _("This file had already been sent: it was imported once, not twice."))
            return redirect("web:pool_list")
        status = 400
        if state == "unknown":
            error = _("This form has expired. Choose the file and upload it again.")
        elif form.is_valid():
            committee = form.cleaned_data["committee"]
            too_large = ValidationFailed(_("The file is larger than the limit of %(mb)s MB.") % {
                "mb": xlsx.MAX_IMPORT_BYTES // (1024 * 1024)}, field="file")
            try:
                _name, content = read_upload(form.cleaned_data["file"], limit=xlsx.MAX_IMPORT_BYTES,
                                             refused=too_large)
                parsed = parse_pool_workbook(content, committee=committee, actor=viewer)
                if parsed.errors:
                    row_errors = parsed.errors
                    error = _("Nothing was imported: correct the rows below and upload the file again.")
                else:
                    outcome = members.pool_import(actor=viewer, committee=committee, batch=parsed.batch)
            except xlsx.ImportFileError as exc:
                error = exc.message
            except ServiceError as exc:
                error = exc.message
                status = service_error_status(exc)
            else:
                if not row_errors:
                    token_used(request, token, committee.pk)
                    messages.success(request, _(
                        "Imported into %(pool)s: %(created)s people added, %(updated)s updated, %(unchanged)s "
                        "unchanged; %(periods)s posts, %(relatives)s relatives and %(declarations)s declarations "
                        "recorded.") % {"pool": committee, "created": outcome.created, "updated": outcome.updated,
                                        "unchanged": outcome.unchanged, "periods": outcome.periods,
                                        "relatives": outcome.relatives, "declarations": outcome.declarations})
                    return redirect(reverse("web:pool_list") + f"?pool={committee.pk}")
        if state != "unknown":
            token_released(token)
        form = pf.PoolImportForm(committees=committees, initial={
            "committee": form.cleaned_data.get("committee") if hasattr(form, "cleaned_data") else None,
            "form_token": token if state != "unknown" else issue_token(request)})
    else:
        form = pf.PoolImportForm(committees=committees, initial={
            "committee": viewer.committee if viewer.committee_id else committees.first(),
            "form_token": issue_token(request)})
    return private_no_store(render(request, "pool/import.html", {
        "form": form, "error": error, "row_errors": row_errors, "committees": committees,
        "max_mb": xlsx.MAX_IMPORT_BYTES // (1024 * 1024), "max_rows": xlsx.MAX_IMPORT_ROWS,
    }, status=status))


# ---------------------------------------------------------------- assessments (考评)

@roles_only(*ASSESS_ROLES)
def pool_groups(request: HttpRequest) -> HttpResponse:
    groups = list(ps.pool_group_list(viewer=request.user)[:500])
    rows = []
    for g in groups:
        inspections = list(g.inspections.all())
        fed_back = bool(inspections) and all(i.stage in members.ASSESSABLE_STAGES for i in inspections)
        rows.append({"group": g, "inspections": inspections, "closed": not fed_back,
                     "todo": fed_back and g.n_assessed < g.n_members})
    todo = [r for r in rows if r["todo"]]
    show = request.GET.get("show") if request.GET.get("show") in ("todo", "all") else ("todo" if todo else "all")
    tabs = [{"value": "todo", "label": _("To assess"), "count": len(todo), "active": show == "todo"},
            {"value": "all", "label": _("All groups"), "count": len(rows), "active": show == "all"}]
    return private_no_store(render(request, "pool/groups.html",
                                   {"rows": todo if show == "todo" else rows, "tabs": tabs}))


def _assessment_page(request: HttpRequest, group, *, bound: tuple[int, str, object] | None = None,
                     error: str | None = None, status: int = 200) -> HttpResponse:
    viewer = request.user
    roles = members.assessor_roles(viewer, group)
    closed = members.assessment_closed_reason(group)
    recorded = ps.group_assessments(group)
    rows = []
    for membership, talent in ps.group_members(group):
        row = {"membership": membership, "talent": talent, "forms": []}
        if talent is not None:
            row["badge"] = pf.STANDING_BADGE.get(talent.standing, "badge-gray")
            for role in (AssessorRole.GROUP_LEADER, AssessorRole.OFFICE):
                row[role] = recorded.get((talent.pk, role))
        for role in (AssessorRole.GROUP_LEADER, AssessorRole.OFFICE):
            if role not in roles or closed or talent is None:
                continue
            if role == AssessorRole.GROUP_LEADER and membership.user_id == viewer.pk:
                continue
            prefix = f"m{membership.user_id}-{role}"
            if bound and bound[0] == membership.user_id and bound[1] == role:
                form = bound[2]
            else:
                existing = row.get(role)
                form = pf.AssessmentForm(prefix=prefix, initial={
                    "grade": existing.grade if existing else "",
                    "recommendation": existing.recommendation if existing else "",
                    "comments": existing.comments if existing else "",
                    "stamp": members.assessment_stamp(existing)})
            row["forms"].append({"role": role, "label": AssessorRole(role).label, "form": form,
                                 "open": bool(bound and bound[0] == membership.user_id and bound[1] == role)})
        rows.append(row)
    inspections = list(group.inspections.select_related("round").prefetch_related("units__parent"))
    return private_no_store(render(request, "pool/group.html", {
        "group": group, "rows": rows, "closed": closed, "roles": roles, "error": error,
        "inspections": inspections, "evaluation": ps.group_evaluation(group),
        "is_office": AssessorRole.OFFICE in roles, "may_read_pool": ps.may_manage_pool(viewer),
    }, status=status))


@roles_only(*ASSESS_ROLES)
def pool_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, ps.pool_group_get(viewer=request.user, pk=pk))


@require_POST
@roles_only(*ASSESS_ROLES)
def pool_assess(request: HttpRequest, pk: int) -> HttpResponse:
    group = ps.pool_group_get(viewer=request.user, pk=pk)
    member_id, role = int_value(request.POST.get("member")), request.POST.get("role", "")
    membership = group.memberships.select_related("user").filter(user_id=member_id).first()
    if membership is None or role not in AssessorRole.values:
        raise Http404
    form = pf.AssessmentForm(request.POST, prefix=f"m{member_id}-{role}")
    if not form.is_valid():
        return _assessment_page(request, group, bound=(member_id, role, form), status=400)
    d = form.cleaned_data
    try:
        members.assessment_record(actor=request.user, group=group, member=membership.user, role=role,
                                  grade=d["grade"], recommendation=d["recommendation"], comments=d["comments"],
                                  expected_stamp=d["stamp"] or None)
    except ServiceError as exc:
        error = apply_service_error(form, exc)
        return _assessment_page(request, group, bound=(member_id, role, form), error=error,
                                status=service_error_status(exc))
    messages.success(request, _("The assessment of %(name)s was saved.") % {"name": membership.user})
    return redirect(reverse("web:pool_group_detail", kwargs={"pk": group.pk}) + f"#member-{member_id}")
