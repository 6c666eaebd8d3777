"""Surveys (民主测评, 调查问卷, 巡察后评估), staff side: the list by inspection, building a survey from a template or
from scratch, editing its questions while a draft, opening and closing it, issuing one-time codes as a printable
sheet, and the results with charts and an .xlsx export. Only the inspection's group, the office of the subtree and
admin see any of it; for everyone else the pages do not exist (404).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.core.official_document import DOCX_CONTENT_TYPE
from xuncha.findings.xlsx import XLSX_CONTENT_TYPE
from xuncha.org.models import Role
from xuncha.rectification.services import may_manage_inspection
from xuncha.rounds.models import Stage
from xuncha.rounds.selectors import inspection_get, inspection_list
from xuncha.surveys import selectors as ss
from xuncha.surveys import services
from xuncha.surveys.builtin import TEMPLATE_FOR_PURPOSE
from xuncha.surveys.documents import results_xlsx, token_sheet_docx
from xuncha.surveys.models import QuestionKind, RatingScale, Survey, SurveyPurpose, SurveyStatus
from xuncha.web.decorators import roles_only
from xuncha.web.form_support import apply_service_error, int_value, service_error_status
from xuncha.web.ledger_forms import DATE
from xuncha.web.views import _float

SURVEY_ROLES = (Role.ADMIN, Role.OFFICE, Role.INSPECTOR)


class DetailsForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Survey title"), max_length=120, required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit surveyed"), queryset=None, required=False,
                                  empty_label=gettext_lazy("(all units of the inspection)"))
    opens_on = forms.DateField(label=gettext_lazy("Answers taken from"), widget=DATE)
    closes_on = forms.DateField(label=gettext_lazy("Answers taken until"), widget=DATE)
    intro = forms.CharField(label=gettext_lazy("Words to the respondents"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = inspection.units.all()


class CreateForm(DetailsForm):
    purpose = forms.ChoiceField(label=gettext_lazy("What the survey is for"), choices=SurveyPurpose.choices)
    start_from = forms.ChoiceField(label=gettext_lazy("Start from"), initial="template", choices=[
        ("template", gettext_lazy("the built-in form for this purpose")), ("blank", gettext_lazy("no questions"))],
        widget=forms.RadioSelect)
    field_order = ["purpose", "start_from", "title", "unit", "opens_on", "closes_on", "intro"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = gettext_lazy("Leave empty to use the form's title with the unit's name.")


class EditForm(DetailsForm):
    """The details that may still change in the survey's status (services.EDITABLE_FIELDS)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, editable: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        for name in [n for n in self.fields if n not in editable and n != "version"]:
            del self.fields[name]


class QuestionForm(forms.Form):
    section = forms.CharField(label=gettext_lazy("Section heading"), max_length=80, required=False,
                              help_text=gettext_lazy("Questions in a row with the same heading are shown under it."))
    text = forms.CharField(label=gettext_lazy("Question"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind of question"), choices=QuestionKind.choices)
    scale = forms.ChoiceField(label=gettext_lazy("Rating scale"), choices=RatingScale.choices, required=False,
                              help_text=gettext_lazy("For a rating-scale question only."))
    choices = forms.CharField(label=gettext_lazy("Options (one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=gettext_lazy("For a single or multiple choice question only."))
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False, initial=True)
    question = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("Number of codes"), min_value=1, max_value=services.MAX_BATCH,
                               initial=50)


def _status_badge(survey: Survey) -> tuple[str, str]:
    """The survey's state as staff read it (an open survey before its first day or after its last one says so)."""
    state = services.survey_state(survey)
    if survey.status == SurveyStatus.OPEN and state == "not_open":
        return _("open, starts %(date)s") % {"date": survey.opens_on.isoformat()}, "badge-yellow"
    if survey.status == SurveyStatus.OPEN and state == "closed":
        return _("open, last day passed"), "badge-gray"
    badge = {SurveyStatus.DRAFT: "badge-gray", SurveyStatus.OPEN: "badge-green", SurveyStatus.CLOSED: "badge-blue"}
    return survey.get_status_display(), badge[survey.status]


def _default_dates(inspection) -> tuple[datetime.date, datetime.date]:
    start = today()
    end = inspection.fieldwork_ends_on if inspection.fieldwork_ends_on and inspection.fieldwork_ends_on > start \
        else start + datetime.timedelta(days=14)
    return start, end


def _editable(survey: Survey) -> set[str]:
    return services.EDITABLE_FIELDS[survey.status]


def _managed_survey(request: HttpRequest, pk: int) -> Survey:
    survey = ss.survey_get(viewer=request.user, pk=pk)
    if not may_manage_inspection(request.user, survey.inspection):
        raise Http404
    return survey


# ---------------------------------------------------------------- list and create

@roles_only(*SURVEY_ROLES)
def survey_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    inspections = list(inspection_list(viewer=viewer))
    inspection_id = int_value(request.GET.get("inspection"))
    if inspection_id and inspection_id not in {i.pk for i in inspections}:
        inspection_id = None
    surveys = list(ss.survey_list(viewer=viewer, inspection_id=inspection_id)[:500])
    rows = []
    for survey in surveys:
        label, badge = _status_badge(survey)
        rows.append({"survey": survey, "status_label": label, "status_badge": badge})
    may_create = [i for i in inspections if i.stage != Stage.ARCHIVED and may_manage_inspection(viewer, i)]
    return render(request, "surveys/list.html", {
        "rows": rows, "inspections": inspections, "inspection_id": inspection_id, "may_create": may_create,
    })


@roles_only(*SURVEY_ROLES)
def survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_get(viewer=request.user, pk=pk)
    if not may_manage_inspection(request.user, inspection):
        raise Http404
    error = None
    status = 200
    if request.method == "POST":
        form = CreateForm(request.POST, inspection=inspection)
        if form.is_valid():
            d = form.cleaned_data
            try:
                survey = services.survey_create(
                    actor=request.user, inspection=inspection, purpose=d["purpose"], title=d["title"] or "",
                    intro=d["intro"] or "", unit=d["unit"], opens_on=d["opens_on"], closes_on=d["closes_on"],
                    from_template=d["start_from"] == "template")
            except ServiceError as exc:
                error = apply_service_error(form, exc)
                status = service_error_status(exc)
            else:
                messages.success(request, _("The survey was created as a draft."))
                return redirect("web:survey_detail", pk=survey.pk)
        else:
            status = 400
    else:
        purpose = request.GET.get("purpose")
        if purpose not in SurveyPurpose.values:
            purpose = (SurveyPurpose.EVALUATION if inspection.stage in services.OPENING_STAGES[SurveyPurpose.EVALUATION]
                       else SurveyPurpose.APPRAISAL)
        opens_on, closes_on = _default_dates(inspection)
        form = CreateForm(inspection=inspection, initial={"purpose": purpose, "opens_on": opens_on,
                                                          "closes_on": closes_on, "start_from": "template"})
    templates = [{"purpose": SurveyPurpose(p).label, "template": t, "stages": services.opening_stages_words(p)}
                 for p, t in TEMPLATE_FOR_PURPOSE.items()]
    return render(request, "surveys/create.html", {
        "form": form, "inspection": inspection, "error": error, "templates": templates,
        "archived": inspection.stage == Stage.ARCHIVED,
    }, status=status)


# ---------------------------------------------------------------- the survey

def _sections(questions) -> list[dict]:
    groups: list[dict] = []
    for number, question in enumerate(questions, start=1):
        if not groups or groups[-1]["section"] != question.section:
            groups.append({"section": question.section, "items": []})
        groups[-1]["items"].append({"question": question, "number": number, "first": number == 1,
                                    "last": number == len(questions)})
    return groups


def _public_urls(request: HttpRequest) -> dict:
    return {"start_url": request.build_absolute_uri(reverse("survey:start"))}


def _detail(request: HttpRequest, survey: Survey, *, edit_form: EditForm | None = None,
            issue_form: IssueForm | None = None, error: str | None = None, status: int = 200) -> HttpResponse:
    questions = ss.survey_questions(survey)
    label, badge = _status_badge(survey)
    issued = ss.tokens_issued(survey)
    response = render(request, "surveys/detail.html", {
        "survey": survey, "sections": _sections(questions), "n_questions": len(questions),
        "status_label": label, "status_badge": badge, "error": error,
        "may_manage": may_manage_inspection(request.user, survey.inspection),
        "is_draft": survey.status == SurveyStatus.DRAFT, "is_open": survey.status == SurveyStatus.OPEN,
        "is_closed": survey.status == SurveyStatus.CLOSED,
        "edit_form": edit_form or EditForm(inspection=survey.inspection, editable=_editable(survey), initial={
            "title": survey.title, "unit": survey.unit, "opens_on": survey.opens_on, "closes_on": survey.closes_on,
            "intro": survey.intro, "version": survey.version}),
        "issue_form": issue_form or IssueForm(),
        "batches": ss.batch_rows(survey), "tokens_issued": issued, "responses": survey.responses.count(),
        "opening_stages": services.opening_stages_words(survey.purpose),
        "may_open_now": survey.inspection.stage in services.OPENING_STAGES[survey.purpose],
        **_public_urls(request),
    }, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@roles_only(*SURVEY_ROLES)
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, ss.survey_get(viewer=request.user, pk=pk))


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed_survey(request, pk)
    form = EditForm(request.POST, inspection=survey.inspection, editable=_editable(survey))
    if not form.is_valid():
        return _detail(request, survey, edit_form=form, status=400)
    d = dict(form.cleaned_data)
    version = d.pop("version")
    try:
        services.survey_update(actor=request.user, survey=survey, expected_version=version, **d)
    except ServiceError as exc:
        return _detail(request, survey, edit_form=form, error=apply_service_error(form, exc),
                       status=service_error_status(exc))
    messages.success(request, _("The survey was saved."))
    return redirect("web:survey_detail", pk=survey.pk)


def _question_of(survey: Survey, question_id: int | None):
    if question_id is None:
        return None
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


@roles_only(*SURVEY_ROLES)
def survey_question(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a question (no `q`) or change question `q` of a draft survey."""
    survey = _managed_survey(request, pk)
    question = _question_of(survey, int_value(request.POST.get("question") if request.method == "POST"
                                         else request.GET.get("q")))
    error = None
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.question_save(actor=request.user, survey=survey, expected_version=d["version"],
                                       question=question, section=d["section"], text=d["text"], kind=d["kind"],
                                       scale=d["scale"], choices=(d["choices"] or "").splitlines(),
                                       required=d["required"])
            except ServiceError as exc:
                error = apply_service_error(form, exc)
                status = service_error_status(exc)
            else:
                messages.success(request, _("The question was saved."))
                return redirect(reverse("web:survey_detail", kwargs={"pk": survey.pk}) + "#questions")
        else:
            status = 400
    elif question is not None:
        form = QuestionForm(initial={"section": question.section, "text": question.text, "kind": question.kind,
                                     "scale": question.scale or RatingScale.QUALITY,
                                     "choices": "\n".join(question.choices), "required": question.required,
                                     "question": question.pk, "version": survey.version})
    else:  # a new question goes at the end, under the last question's heading unless changed
        last = survey.questions.order_by("-order", "-id").first()
        form = QuestionForm(initial={"version": survey.version, "kind": QuestionKind.SINGLE,
                                     "scale": RatingScale.QUALITY, "required": True,
                                     "section": last.section if last else ""})
    return render(request, "surveys/question.html", {
        "survey": survey, "form": form, "question": question, "error": error,
        "is_draft": survey.status == SurveyStatus.DRAFT,
    }, status=status)


def _act(request: HttpRequest, pk: int, act, anchor: str = "") -> HttpResponse:
    """Run `act(survey)` on a survey the viewer manages and go back to its page with what happened: the message
    `act` returns, or the service's refusal."""
    survey = _managed_survey(request, pk)
    try:
        done = act(survey)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)
    return redirect(reverse("web:survey_detail", kwargs={"pk": survey.pk}) + anchor)


def _posted_question(request: HttpRequest, survey: Survey):
    question = _question_of(survey, int_value(request.POST.get("question")))
    if question is None:
        raise Http404
    return question


def _version(request: HttpRequest) -> int | None:
    return int_value(request.POST.get("version"))


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_question_move(request: HttpRequest, pk: int) -> HttpResponse:
    def act(survey: Survey) -> None:
        services.question_move(actor=request.user, survey=survey, expected_version=_version(request),
                               question=_posted_question(request, survey),
                               offset=-1 if request.POST.get("direction") == "up" else 1)

    return _act(request, pk, act, "#questions")


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def act(survey: Survey) -> str:
        services.question_remove(actor=request.user, survey=survey, expected_version=_version(request),
                                 question=_posted_question(request, survey))
        return _("The question was removed.")

    return _act(request, pk, act, "#questions")


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    def act(survey: Survey) -> str:
        services.survey_open(actor=request.user, survey=survey, expected_version=_version(request))
        return _("The survey is open: its codes work from its first day.")

    return _act(request, pk, act)


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(survey: Survey) -> str:
        services.survey_close(actor=request.user, survey=survey, expected_version=_version(request))
        return _("The survey is closed; no more answers are taken.")

    return _act(request, pk, act)


# ---------------------------------------------------------------- codes

@require_POST
@roles_only(*SURVEY_ROLES)
def survey_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a batch of codes and answer with its printable sheet (the only time the codes exist in full)."""
    survey = _managed_survey(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _detail(request, survey, issue_form=form, status=400)
    try:
        batch, codes = services.tokens_issue(actor=request.user, survey=survey, count=form.cleaned_data["count"])
    except ServiceError as exc:
        return _detail(request, survey, issue_form=form, error=apply_service_error(form, exc),
                       status=service_error_status(exc))
    content = token_sheet_docx(
        survey=survey, batch=batch, codes=codes, start_url=_public_urls(request)["start_url"],
        url_for=lambda code: request.build_absolute_uri(reverse("survey:token", kwargs={"code": code})))
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    filename = _("survey-codes-%(survey)s-batch-%(number)s.docx") % {"survey": survey.pk, "number": batch.number}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@roles_only(*SURVEY_ROLES)
def survey_tokens_void(request: HttpRequest, pk: int) -> HttpResponse:
    number = int_value(request.POST.get("batch"))
    if number is None:
        raise Http404

    def act(survey: Survey) -> str:
        batch = services.batch_void(actor=request.user, survey=survey, number=number)
        return _("Batch %(number)s was voided: its unused codes no longer work.") % {"number": batch.number}

    return _act(request, pk, act, "#codes")


# ---------------------------------------------------------------- results

def _chart_data(figures) -> dict:
    rating: dict[str, dict] = {}
    questions = []
    for n, row in enumerate(figures.questions, start=1):
        question = row.question
        name = f"{n}. {question.text}"
        if row.rated:
            group = rating.setdefault(question.scale, {"key": f"rating-{question.scale}",
                                                       "levels": [c.label for c in row.choices], "rows": []})
            group["rows"].append({"name": name, "counts": [c.count for c in row.choices],
                                  "percents": [_float(c.percent) for c in row.choices],
                                  "satisfaction": _float(row.satisfaction), "answered": row.answered})
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            questions.append({"key": f"q-{question.pk}", "name": name, "options": [c.label for c in row.choices],
                              "counts": [c.count for c in row.choices],
                              "percents": [_float(c.percent) for c in row.choices]})
    return {"labels": {"answers": _("Answers"), "share": _("Share"), "satisfaction": _("Satisfaction rate")},
            "rating": list(rating.values()), "questions": questions}


@roles_only(*SURVEY_ROLES)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = ss.survey_get(viewer=request.user, pk=pk)
    figures = ss.survey_tally(survey)
    chart = _chart_data(figures)
    numbered = list(enumerate(figures.questions, start=1))
    label, badge = _status_badge(survey)
    response = render(request, "surveys/results.html", {
        "survey": survey, "figures": figures, "chart_data": chart,
        "rated": [(n, row) for n, row in numbered if row.rated],
        "scales": [g["levels"] for g in chart["rating"]],
        "choice_questions": [(n, row) for n, row in numbered
                             if row.question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)],
        "text_questions": [(n, row) for n, row in numbered if row.question.kind == QuestionKind.TEXT],
        "status_label": label, "status_badge": badge,
    })
    response["Cache-Control"] = "private, no-store"
    return response


@roles_only(*SURVEY_ROLES)
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = ss.survey_get(viewer=request.user, pk=pk)
    sheets = list(ss.answer_sheets(survey))
    content = results_xlsx(survey=survey, figures=ss.survey_tally(survey), answer_sheets=sheets)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = _("survey-results-%(survey)s.xlsx") % {"survey": survey.pk}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
