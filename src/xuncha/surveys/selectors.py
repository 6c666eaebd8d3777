"""Reads of surveys, scoped to the viewer. Surveys have the readers of the talks (个别谈话): the inspection's group,
the office of the committee subtree that runs the round, and admin. Every other role reads nothing (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from xuncha.fieldwork.selectors import talk_q
from xuncha.org.models import User
from xuncha.surveys.models import Question, Response, Survey, Token, TokenBatch
from xuncha.surveys.tally import SurveyTally, tally


def survey_q(viewer: User, prefix: str = "") -> Q:
    """A Q over Survey (or a model reaching Survey through `prefix`) limited to what the viewer may read: the
    same rule as the talks, through the survey's inspection."""
    return talk_q(viewer, prefix)


def _count(model, **filters) -> Coalesce:
    rows = (model.objects.filter(survey=OuterRef("pk"), **filters).order_by().values("survey")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def survey_list(*, viewer: User, inspection_id: int | None = None, status: str | None = None) -> QuerySet[Survey]:
    ids = Survey.objects.filter(survey_q(viewer)).values("pk")
    qs = (Survey.objects.filter(pk__in=ids)
          .select_related("inspection", "inspection__round", "inspection__round__committee", "inspection__group",
                          "unit")
          .annotate(n_questions=_count(Question), n_tokens=_count(Token, void=False),
                    n_responses=_count(Response)))
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-opens_on", "-id")


def survey_get(*, viewer: User, pk: int) -> Survey:
    return get_object_or_404(survey_list(viewer=viewer), pk=pk)


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("order", "id"))


@dataclass(frozen=True)
class BatchRow:
    batch: TokenBatch
    used: int
    void: int

    @property
    def unused(self) -> int:
        return self.batch.size - self.used - self.void


def batch_rows(survey: Survey) -> list[BatchRow]:
    batches = (survey.batches.select_related("issued_by").order_by("number")
               .annotate(n_used=Count("tokens", filter=Q(tokens__used=True)),
                         n_void=Count("tokens", filter=Q(tokens__void=True))))
    return [BatchRow(batch=b, used=b.n_used, void=b.n_void) for b in batches]


def tokens_issued(survey: Survey) -> int:
    """Tokens that count as handed out: all but the unused ones of voided batches."""
    return Token.objects.filter(survey=survey, void=False).count()


def answer_sheets(survey: Survey):
    """The answers of every response, in the random order of the responses' ids (never the order they came in)."""
    return Response.objects.filter(survey=survey).order_by("id").values_list("answers", flat=True)


def survey_tally(survey: Survey) -> SurveyTally:
    return tally(survey_questions(survey), answer_sheets(survey).iterator(chunk_size=2000),
                 tokens_issued=tokens_issued(survey))
