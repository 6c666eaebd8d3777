"""Writes to surveys: build (from a template or from scratch), edit the questions while a draft, open, close,
issue one-time tokens in batches, void a lost batch, and take an anonymous answer sheet.

The staff writes are audited like every other write. The public answer is not: an audit event carries the time of
day, and a response must keep only its date (see docs/domain-decisions.md, "Surveys"). Neither is the use of a
token: the token keeps that it was used and the date, nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.core.audit import audit_record, changed_fields
from xuncha.core.dates import today
from xuncha.core.errors import ServiceError, TransitionRefused, ValidationFailed
from xuncha.core.locking import bump_version, lock_for_update
from xuncha.org.models import Unit, User
from xuncha.rectification.services import may_manage_inspection
from xuncha.rounds.models import Inspection, Stage
from xuncha.surveys import tokens
from xuncha.surveys.builtin import TEMPLATE_FOR_PURPOSE
from xuncha.surveys.models import (
    Question,
    QuestionKind,
    RatingScale,
    Response,
    Survey,
    SurveyPurpose,
    SurveyStatus,
    Token,
    TokenBatch,
)

# status -> the statuses it may move to
SURVEY_TRANSITIONS: dict[str, set[str]] = {
    SurveyStatus.DRAFT: {SurveyStatus.OPEN},
    SurveyStatus.OPEN: {SurveyStatus.CLOSED},
    SurveyStatus.CLOSED: set(),
}
# When a survey of each purpose may be opened: 民主测评 and 调查问卷 while the group is stationed at the unit;
# 巡察后评估 once feedback is being given or has been given.
OPENING_STAGES: dict[str, set[str]] = {
    SurveyPurpose.APPRAISAL: {Stage.FIELDWORK},
    SurveyPurpose.QUESTIONNAIRE: {Stage.FIELDWORK},
    SurveyPurpose.EVALUATION: {Stage.FEEDBACK, Stage.RECTIFY, Stage.FOLLOW_UP},
}
# Fields of a survey that may change in each status (questions change only in a draft).
EDITABLE_FIELDS: dict[str, set[str]] = {
    SurveyStatus.DRAFT: {"title", "intro", "unit", "opens_on", "closes_on"},
    SurveyStatus.OPEN: {"intro", "closes_on"},
    SurveyStatus.CLOSED: set(),
}
MAX_QUESTIONS = 80
MAX_CHOICES = 20
MAX_CHOICE_LENGTH = 100
MAX_BATCH = 2000
MAX_TOKENS = 5000
MAX_TEXT_ANSWER = 2000


class CodeRefused(ServiceError):
    """A code that cannot be used now; `reason` is one of unknown, used, void, not_open, closed."""

    def __init__(self, message: str, *, reason: str, survey: Survey | None = None):
        super().__init__(message, field="code")
        self.reason = reason
        self.survey = survey


class AnswersInvalid(ValidationFailed):
    """The answer sheet has faults: `errors` maps a question id (as text) to what is wrong with its answer."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some answers need your attention; they are marked below."))
        self.errors = errors


# --- helpers ------------------------------------------------------------------------------------------------

def _path(survey: Survey) -> str:
    return survey.inspection.round.committee.path


def _check_manager(actor: User | None, inspection: Inspection) -> None:
    if not may_manage_inspection(actor, inspection):
        raise ValidationFailed(_("Only the office or the inspection group manages its surveys."))


def _units_words(inspection: Inspection, unit: Unit | None) -> str:
    return unit.name if unit else "、".join(u.name for u in inspection.units.all())


def _clean_details(inspection: Inspection, data: dict) -> dict:
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationFailed(_("Give the survey a title."), field="title")
    unit = data.get("unit")
    if unit is not None and (not isinstance(unit, Unit) or not inspection.units.filter(pk=unit.pk).exists()):
        raise ValidationFailed(_("The unit is not covered by this inspection."), field="unit")
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if not isinstance(opens_on, datetime.date):
        raise ValidationFailed(_("Give the first day answers are taken."), field="opens_on")
    if not isinstance(closes_on, datetime.date):
        raise ValidationFailed(_("Give the last day answers are taken."), field="closes_on")
    if closes_on < opens_on:
        raise ValidationFailed(_("The last day cannot be before the first day."), field="closes_on")
    return {"title": title[:120], "intro": str(data.get("intro") or "").strip()[:5000], "unit": unit,
            "opens_on": opens_on, "closes_on": closes_on}


def _details(survey: Survey) -> dict:
    return {"title": survey.title, "unit": survey.unit_id, "opens_on": survey.opens_on,
            "closes_on": survey.closes_on, "intro_length": len(survey.intro or ""), "status": survey.status}


def _locked_draft(actor: User | None, survey: Survey, expected_version: int | None) -> Survey:
    _check_manager(actor, survey.inspection)
    locked = lock_for_update(Survey, pk=survey.pk, expected_version=expected_version)
    if locked.status != SurveyStatus.DRAFT:
        raise TransitionRefused(_("Questions can be changed only while the survey is a draft."))
    return locked


def _renumber(survey: Survey, ordered: Sequence[Question] | None = None) -> None:
    questions = list(ordered if ordered is not None else survey.questions.order_by("order", "id"))
    for position, question in enumerate(questions, start=1):
        if question.order != position:
            question.order = position
            question.save(update_fields=["order"])


def _clean_question(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        raise ValidationFailed(_("Choose the kind of question."), field="kind")
    text = str(data.get("text") or "").strip()
    if not text:
        raise ValidationFailed(_("Write the question."), field="text")
    if len(text) > 300:
        raise ValidationFailed(_("A question has at most 300 characters."), field="text")
    values = {"kind": kind, "text": text, "section": str(data.get("section") or "").strip()[:80],
              "required": bool(data.get("required", True)), "choices": [], "scale": ""}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = []
        for choice in data.get("choices") or []:
            choice = str(choice).strip()
            if choice and choice not in choices:
                choices.append(choice)
        if len(choices) < 2:
            raise ValidationFailed(_("A choice question needs at least two different options."), field="choices")
        if len(choices) > MAX_CHOICES:
            raise ValidationFailed(_("A question has at most %(n)s options.") % {"n": MAX_CHOICES},
                                   field="choices")
        if any(len(c) > MAX_CHOICE_LENGTH for c in choices):
            raise ValidationFailed(_("An option has at most %(n)s characters.") % {"n": MAX_CHOICE_LENGTH},
                                   field="choices")
        values["choices"] = choices
    elif kind == QuestionKind.RATING:
        scale = data.get("scale") or RatingScale.QUALITY
        if scale not in RatingScale.values:
            raise ValidationFailed(_("Choose the rating scale."), field="scale")
        values["scale"] = scale
    return values


def _question_after(question: Question) -> dict:
    return {"order": question.order, "kind": question.kind, "text": question.text, "section": question.section,
            "choices": list(question.choices), "scale": question.scale, "required": question.required}


# --- building -------------------------------------------------------------------------------------------------

@transaction.atomic
def survey_create(*, actor: User | None, inspection: Inspection, purpose: str, opens_on: datetime.date,
                  closes_on: datetime.date, title: str = "", intro: str = "", unit: Unit | None = None,
                  from_template: bool = True) -> Survey:
    """A draft survey of an inspection, with the built-in template's questions for its purpose or none."""
    _check_manager(actor, inspection)
    if inspection.stage == Stage.ARCHIVED:
        raise TransitionRefused(_("The inspection is archived; no survey can be added."))
    if purpose not in SurveyPurpose.values:
        raise ValidationFailed(_("Choose what the survey is for."), field="purpose")
    template = TEMPLATE_FOR_PURPOSE[purpose] if from_template else None
    words = _units_words(inspection, unit if isinstance(unit, Unit) else None)
    if not str(title or "").strip():
        title = template.title.format(unit=words) if template else f"{words}{SurveyPurpose(purpose).label}"
    if not str(intro or "").strip() and template:
        intro = template.intro.format(unit=words)
    values = _clean_details(inspection, {"title": title, "intro": intro, "unit": unit, "opens_on": opens_on,
                                         "closes_on": closes_on})
    survey = Survey.objects.create(inspection=inspection, purpose=purpose,
                                   created_by=actor if getattr(actor, "pk", None) else None, **values)
    if template:
        Question.objects.bulk_create([
            Question(survey=survey, order=n, section=q.section, text=q.text, kind=q.kind, choices=list(q.choices),
                     scale=q.scale, required=q.required) for n, q in enumerate(template.questions, start=1)])
    audit_record(actor=actor, action="survey.create", obj=survey,
                 after=_details(survey) | {"purpose": purpose, "template": template.key if template else "",
                                           "questions": survey.questions.count()},
                 committee_path=_path(survey))
    return survey


@transaction.atomic
def survey_update(*, actor: User | None, survey: Survey, expected_version: int | None, **data) -> Survey:
    """Change the survey's details: all of them while a draft; once open, only the words to the respondents and
    the last day (which cannot then be in the past: close the survey instead)."""
    _check_manager(actor, survey.inspection)
    locked = lock_for_update(Survey, pk=survey.pk, expected_version=expected_version)
    allowed = EDITABLE_FIELDS[locked.status]
    if not allowed:
        raise TransitionRefused(_("A closed survey can no longer be changed."))
    current = {"title": locked.title, "intro": locked.intro, "unit": locked.unit, "opens_on": locked.opens_on,
               "closes_on": locked.closes_on}
    unknown = set(data) - set(current)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))})
    wanted = current | data
    refused = [f for f in data if f not in allowed and wanted[f] != current[f]]
    if refused:
        raise TransitionRefused(_("Once a survey is open only its words to the respondents and its last day can "
                                  "change."), field=refused[0])
    values = _clean_details(survey.inspection, wanted)
    if locked.status == SurveyStatus.OPEN and values["closes_on"] < today():
        raise ValidationFailed(_("The last day of an open survey cannot be in the past; close it instead."),
                               field="closes_on")
    before = _details(locked)
    intro_changed = values["intro"] != locked.intro
    for name, value in values.items():
        setattr(locked, name, value)
    bump_version(locked)
    locked.save()
    old, new = changed_fields(before, _details(locked))
    if intro_changed:  # the words may change at the same length: say so, the text itself is in the survey
        new["intro_changed"] = True
    audit_record(actor=actor, action="survey.update", obj=locked, before=old, after=new, committee_path=_path(survey))
    return locked


@transaction.atomic
def question_save(*, actor: User | None, survey: Survey, expected_version: int | None, question: Question | None = None,
                  **data) -> Question:
    """Add a question at the end of a draft survey, or change one of its questions."""
    locked = _locked_draft(actor, survey, expected_version)
    values = _clean_question(data)
    if question is None:
        if locked.questions.count() >= MAX_QUESTIONS:
            raise ValidationFailed(_("A survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS})
        last = locked.questions.aggregate(m=Max("order"))["m"] or 0
        question = Question.objects.create(survey=locked, order=last + 1, **values)
        action, before = "survey.question_add", None
    else:
        if question.survey_id != locked.pk:
            raise ValidationFailed(_("The question is not part of this survey."))
        before = _question_after(question)
        for name, value in values.items():
            setattr(question, name, value)
        question.save()
        action = "survey.question_edit"
    bump_version(locked)
    locked.save(update_fields=["version"])
    audit_record(actor=actor, action=action, obj=locked, before=before,
                 after={"question": question.pk} | _question_after(question), committee_path=_path(survey))
    return question


@transaction.atomic
def question_move(*, actor: User | None, survey: Survey, expected_version: int | None, question: Question,
                  offset: int) -> None:
    """Move a question of a draft survey one place up (offset -1) or down (+1)."""
    locked = _locked_draft(actor, survey, expected_version)
    ordered = list(locked.questions.order_by("order", "id"))
    positions = {q.pk: n for n, q in enumerate(ordered)}
    if question.pk not in positions:
        raise ValidationFailed(_("The question is not part of this survey."))
    here = positions[question.pk]
    there = here + (1 if offset > 0 else -1)
    if not 0 <= there < len(ordered):
        return
    ordered[here], ordered[there] = ordered[there], ordered[here]
    _renumber(locked, ordered)
    bump_version(locked)
    locked.save(update_fields=["version"])
    audit_record(actor=actor, action="survey.question_move", obj=locked,
                 before={"question": question.pk, "order": here + 1},
                 after={"question": question.pk, "order": there + 1}, committee_path=_path(survey))


@transaction.atomic
def question_remove(*, actor: User | None, survey: Survey, expected_version: int | None, question: Question) -> None:
    locked = _locked_draft(actor, survey, expected_version)
    if question.survey_id != locked.pk:
        raise ValidationFailed(_("The question is not part of this survey."))
    before = {"question": question.pk} | _question_after(question)
    question.delete()
    _renumber(locked)
    bump_version(locked)
    locked.save(update_fields=["version"])
    audit_record(actor=actor, action="survey.question_remove", obj=locked, before=before, after=None,
                 committee_path=_path(survey))


# --- open and close -------------------------------------------------------------------------------------------

def opening_stages_words(purpose: str) -> str:
    """The stages in which a survey of `purpose` may be opened, in words (进驻、反馈 …)."""
    return "、".join(str(Stage(s).label) for s in Stage if s in OPENING_STAGES[purpose])


def _check_move(actor: User | None, survey: Survey, expected_version: int | None, to: str) -> Survey:
    _check_manager(actor, survey.inspection)
    locked = lock_for_update(Survey, pk=survey.pk, expected_version=expected_version)
    if to not in SURVEY_TRANSITIONS.get(locked.status, set()):
        raise TransitionRefused(_("A survey that is %(status)s cannot become %(to)s.") % {
            "status": locked.get_status_display(), "to": SurveyStatus(to).label})
    return locked


def _moved(actor: User | None, locked: Survey, to: str, *, action: str, date_field: str, counted: str) -> Survey:
    """Record the move of `locked` to status `to` on today's date, audited with the count of its `counted`."""
    before = {"status": locked.status}
    locked.status = to
    setattr(locked, date_field, today())
    bump_version(locked)
    locked.save()
    after = {"status": to, date_field: getattr(locked, date_field), counted: getattr(locked, counted).count()}
    audit_record(actor=actor, action=action, obj=locked, before=before, after=after, committee_path=_path(locked))
    return locked


@transaction.atomic
def survey_open(*, actor: User | None, survey: Survey, expected_version: int | None) -> Survey:
    """Open a draft: its questions are fixed and the tokens start to work from its first day (draft → open)."""
    locked = _check_move(actor, survey, expected_version, SurveyStatus.OPEN)
    if survey.inspection.stage not in OPENING_STAGES[locked.purpose]:
        raise TransitionRefused(_("A survey for this purpose is opened only while the inspection is in: "
                                  "%(stages)s.") % {"stages": opening_stages_words(locked.purpose)})
    if not locked.questions.exists():
        raise TransitionRefused(_("Add at least one question before opening the survey."))
    if locked.closes_on < today():
        raise ValidationFailed(_("The last day of the survey has passed; change it before opening."),
                               field="closes_on")
    return _moved(actor, locked, SurveyStatus.OPEN, action="survey.open", date_field="opened_on", counted="questions")


@transaction.atomic
def survey_close(*, actor: User | None, survey: Survey, expected_version: int | None) -> Survey:
    """Stop taking answers (open → closed). Unused tokens stop working; the results stay."""
    locked = _check_move(actor, survey, expected_version, SurveyStatus.CLOSED)
    return _moved(actor, locked, SurveyStatus.CLOSED, action="survey.close", date_field="closed_on",
                  counted="responses")


# --- tokens ---------------------------------------------------------------------------------------------------

def _lookups_taken(lookups: set[str]) -> set[str]:
    return set(Token.objects.filter(lookup__in=lookups).values_list("lookup", flat=True))


@transaction.atomic
def tokens_issue(*, actor: User | None, survey: Survey, count: int) -> tuple[TokenBatch, list[str]]:
    """Issue `count` one-time codes as a new batch. The codes are returned once, for the printed sheet; only the
    lookup and a keyed hash of each secret are kept, so a lost sheet cannot be printed again (void it)."""
    _check_manager(actor, survey.inspection)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)  # batch numbers are given one at a time
    if locked.status == SurveyStatus.CLOSED:
        raise TransitionRefused(_("The survey is closed; no more tokens can be issued."))
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_BATCH:
        raise ValidationFailed(_("Issue between 1 and %(n)s tokens at a time.") % {"n": MAX_BATCH}, field="count")
    issued = Token.objects.filter(survey=locked, void=False).count()
    if issued + count > MAX_TOKENS:
        raise ValidationFailed(_("A survey has at most %(n)s tokens; %(issued)s are issued already.")
                               % {"n": MAX_TOKENS, "issued": issued}, field="count")
    number = (locked.batches.aggregate(m=Max("number"))["m"] or 0) + 1
    batch = TokenBatch.objects.create(survey=locked, number=number, size=count, issued_on=today(),
                                      issued_by=actor if getattr(actor, "pk", None) else None)
    codes = tokens.codes_new(count, _lookups_taken)
    Token.objects.bulk_create([Token(survey=locked, batch=batch, lookup=lookup, secret_hash=hashed)
                               for _code, lookup, hashed in codes], batch_size=1000)
    audit_record(actor=actor, action="survey.tokens_issue", obj=locked,
                 after={"batch": number, "size": count, "tokens_issued": issued + count},
                 committee_path=_path(survey))
    return batch, [code for code, _lookup, _hashed in codes]


@transaction.atomic
def batch_void(*, actor: User | None, survey: Survey, number: int) -> TokenBatch:
    """A sheet was lost or spoiled: its unused tokens stop working and no longer count as issued. Not once the
    survey is closed: voiding then would only raise its response rate."""
    _check_manager(actor, survey.inspection)
    if Survey.objects.filter(pk=survey.pk, status=SurveyStatus.CLOSED).exists():
        raise TransitionRefused(_("The survey is closed; its codes can no longer be voided."))
    batch = TokenBatch.objects.select_for_update().filter(survey=survey, number=number).first()
    if batch is None:
        raise ValidationFailed(_("There is no such batch in this survey."), field="batch")
    if batch.voided_on is not None:
        raise TransitionRefused(_("The batch has been voided already."))
    batch.voided_on = today()
    batch.save(update_fields=["voided_on"])
    voided = Token.objects.filter(batch=batch, used=False).update(void=True)
    audit_record(actor=actor, action="survey.batch_void", obj=survey,
                 after={"batch": batch.number, "voided_tokens": voided}, committee_path=_path(survey))
    return batch


# --- answering (public, no account) ---------------------------------------------------------------------------

def token_find(code: str) -> Token | None:
    """The token a code belongs to, or None. The hash is computed whether or not the lookup exists."""
    parts = tokens.code_split(code)
    lookup, secret = parts or ("", "")
    token = (Token.objects.select_related("survey", "survey__inspection__round__committee", "survey__unit")
             .filter(lookup=lookup).first()) if parts else None
    if token is None:
        tokens.secret_matches("0" * 64, lookup, secret or "0")
        return None
    return token if tokens.secret_matches(token.secret_hash, lookup, secret) else None


def survey_state(survey: Survey, *, on: datetime.date | None = None) -> str:
    """What a respondent finds: ready, not_open (a draft, or before its first day) or closed."""
    day = on or today()
    if survey.status == SurveyStatus.CLOSED or (survey.status == SurveyStatus.OPEN and day > survey.closes_on):
        return "closed"
    if survey.status == SurveyStatus.DRAFT or day < survey.opens_on:
        return "not_open"
    return "ready"


def _used(survey: Survey) -> CodeRefused:
    return CodeRefused(_("This code has already been used: each code can be used only once. If you have just sent "
                         "your answers, they have been received."), reason="used", survey=survey)


def code_refusal(token: Token | None) -> CodeRefused | None:
    """Why a code cannot be used now, or None when it can."""
    if token is None:
        return CodeRefused(_("This code is not valid. Check it against your slip: it has 12 letters and digits."),
                           reason="unknown")
    survey = token.survey
    if token.used:
        return _used(survey)
    if token.void:
        return CodeRefused(_("This code has been withdrawn. Please ask the inspection group for a new slip."),
                           reason="void", survey=survey)
    state = survey_state(survey)
    if state == "closed":
        return CodeRefused(_("This survey has ended; answers are no longer taken."), reason="closed", survey=survey)
    if state == "not_open":
        if survey.status == SurveyStatus.OPEN:
            message = _("This survey has not started yet. It takes answers from %(date)s.") % {
                "date": f"{survey.opens_on.year}年{survey.opens_on.month}月{survey.opens_on.day}日"}
        else:
            message = _("This survey has not started yet. Please try again when the inspection group says so.")
        return CodeRefused(message, reason="not_open", survey=survey)
    return None


def answers_clean(questions: Sequence[Question], raw: Mapping[str, object]) -> dict[str, object]:
    """The answer sheet as stored: {question id: position | [positions] | text}. `raw` maps a question id (as
    text) to what the form sent: a position or a list of positions (as text or numbers), or the text."""
    cleaned: dict[str, object] = {}
    errors: dict[str, str] = {}
    for question in questions:
        key = str(question.pk)
        value = raw.get(key)
        try:
            answer = _answer(question, value)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if answer is None:
            if question.required:
                errors[key] = _("Please answer this question.")
            continue
        cleaned[key] = answer
    if errors:
        raise AnswersInvalid(errors)
    if not cleaned:
        raise ValidationFailed(_("The answer sheet is empty: answer at least one question."))
    return cleaned


def _answer(question: Question, value):
    """One answer in its stored form, None when not answered; ValueError (with the message) when wrong."""
    if question.kind == QuestionKind.TEXT:
        text = str(value or "").strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise ValueError(_("Write at most %(n)s characters.") % {"n": MAX_TEXT_ANSWER})
        return text or None
    options = len(question.options)
    values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
    positions = []
    for item in values:
        try:
            position = int(str(item))
        except ValueError:
            raise ValueError(_("Choose one of the options.")) from None
        if not 0 <= position < options:
            raise ValueError(_("Choose one of the options."))
        positions.append(position)
    if not positions:
        return None
    if question.kind == QuestionKind.MULTIPLE:
        return sorted(set(positions))
    if len(set(positions)) > 1:
        raise ValueError(_("Choose only one option."))
    return positions[0]


@transaction.atomic
def response_submit(*, code: str, answers: Mapping[str, object]) -> Response:
    """Take one anonymous answer sheet with a one-time code.

    The token is locked, checked, and marked used (a conditional update: only a row still unused changes) in the
    same transaction that stores the answers, so a double submit never counts twice. The response gets the date
    only and nothing that points back to the token.
    """
    token = token_find(code)
    if token is not None:
        token = Token.objects.select_for_update().select_related(
            "survey", "survey__inspection__round__committee").get(pk=token.pk)
    refusal = code_refusal(token)
    if refusal is not None:
        raise refusal
    survey = token.survey
    cleaned = answers_clean(list(survey.questions.order_by("order", "id")), answers)
    day = today()
    if Token.objects.filter(pk=token.pk, used=False, void=False).update(used=True, used_on=day) != 1:
        raise _used(survey)
    return Response.objects.create(survey=survey, submitted_on=day, answers=cleaned)
