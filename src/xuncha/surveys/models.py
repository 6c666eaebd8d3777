"""Surveys (民主测评, 调查问卷, 巡察后评估): questions, one-time anonymous tokens, and the answers.

Anonymity is a property of the schema, not a promise of the code:

* a `Response` has no link to the `Token` that let it in (no foreign key, no shared number), no time of day
  (only the date) and nothing about the device or the network;
* its primary key is random (UUID4), so the order of the ids says nothing about the order of the answers;
* a `Token` keeps only whether it was used and the date, never when in the day nor by which response;
* the secret part of a token is stored only as a keyed hash (`tokens.py`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.org.models import Unit
from xuncha.rounds.models import Inspection


class SurveyPurpose(models.TextChoices):
    APPRAISAL = "appraisal", _("democratic appraisal")
    QUESTIONNAIRE = "questionnaire", _("questionnaire survey")
    EVALUATION = "evaluation", _("post-inspection evaluation")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey status", "draft")
    OPEN = "open", pgettext_lazy("survey status", "open")
    CLOSED = "closed", pgettext_lazy("survey status", "closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    RATING = "rating", _("rating scale")
    TEXT = "text", _("free text")


class RatingScale(models.TextChoices):
    QUALITY = "quality", _("good / fairly good / average / poor")
    SATISFACTION = "satisfaction", _("satisfied / basically satisfied / dissatisfied")


# The labels of each scale, best first. The first `FAVOURABLE` labels of a scale count as favourable
# answers for the 满意率 (好 and 较好; 满意 and 基本满意).
SCALE_LABELS = {
    RatingScale.QUALITY: (pgettext_lazy("rating", "good"), pgettext_lazy("rating", "fairly good"),
                          pgettext_lazy("rating", "average"), pgettext_lazy("rating", "poor")),
    RatingScale.SATISFACTION: (pgettext_lazy("rating", "satisfied"), pgettext_lazy("rating", "basically satisfied"),
                               pgettext_lazy("rating", "dissatisfied")),
}
FAVOURABLE = {RatingScale.QUALITY: 2, RatingScale.SATISFACTION: 2}


class Survey(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="surveys")
    # The unit whose cadres answer (a 民主测评 rates one unit's leadership); empty: the whole inspection.
    unit = models.ForeignKey(Unit, verbose_name=_("unit surveyed"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    purpose = models.CharField(_("purpose"), max_length=16, choices=SurveyPurpose.choices, db_index=True)
    title = models.CharField(_("survey title"), max_length=120)
    intro = models.TextField(_("words to the respondents"), blank=True)
    opens_on = models.DateField(_("answers taken from"))
    closes_on = models.DateField(_("answers taken until"))
    status = models.CharField(_("survey status"), max_length=16, choices=SurveyStatus.choices,
                              default=SurveyStatus.DRAFT, db_index=True)
    opened_on = models.DateField(_("survey opened on"), null=True, blank=True)
    closed_on = models.DateField(_("survey closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey")
        constraints = [
            models.CheckConstraint(name="survey_closes_after_it_opens", condition=models.Q(closes_on__gte=models.F(
                "opens_on"))),
            models.CheckConstraint(name="open_survey_has_opening_date",
                                   condition=models.Q(status="draft") | models.Q(opened_on__isnull=False)),
            models.CheckConstraint(name="closed_survey_has_closing_date",
                                   condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"))
    # A heading the question is shown under (对领导班子的评价, 对主要负责人的评价 …); consecutive questions share it.
    section = models.CharField(_("section"), max_length=80, blank=True)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of question"), max_length=16, choices=QuestionKind.choices)
    # The options of a single or multiple choice question, in order. Answers store their positions.
    choices = models.JSONField(_("options"), default=list, blank=True)
    scale = models.CharField(_("rating scale"), max_length=16, choices=RatingScale.choices, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("survey question")
        constraints = [
            models.CheckConstraint(name="rating_question_has_scale",
                                   condition=~models.Q(kind="rating") | ~models.Q(scale="")),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def field_name(self) -> str:
        """The name of the question's field in the answer form."""
        return f"q{self.pk}"

    @property
    def options(self) -> list[str]:
        """The labels a respondent chooses from (the scale's, for a rating question), best first."""
        if self.kind == QuestionKind.RATING:
            return [str(label) for label in SCALE_LABELS.get(self.scale, ())]
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return [str(c) for c in self.choices]
        return []


class TokenBatch(models.Model):
    """Tokens issued together and printed on one sheet. Its codes exist only in that sheet."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("batch number"))
    size = models.PositiveIntegerField(_("tokens in the batch"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # A lost or spoiled sheet: the batch's unused tokens stop working and leave the count of tokens issued.
    voided_on = models.DateField(_("voided on"), null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "number"]
        verbose_name = _("token batch")
        constraints = [models.UniqueConstraint(name="one_batch_number_per_survey", fields=["survey", "number"])]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.number}"


class Token(models.Model):
    """A one-time code for one answer. The public lookup finds the row; the secret is kept only as a hash."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="tokens")
    batch = models.ForeignKey(TokenBatch, on_delete=models.PROTECT, related_name="tokens")
    lookup = models.CharField(max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64)
    used = models.BooleanField(default=False, db_index=True)
    used_on = models.DateField(null=True, blank=True)  # the date only, never the time of day
    void = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey token")
        constraints = [
            models.CheckConstraint(name="token_used_has_date_only_then",
                                   condition=models.Q(used=False, used_on__isnull=True)
                                   | models.Q(used=True, used_on__isnull=False)),
            models.CheckConstraint(name="used_token_is_not_void", condition=models.Q(used=False)
                                   | models.Q(void=False)),
        ]

    def __str__(self) -> str:
        return self.lookup


class Response(models.Model):
    """One anonymous answer sheet: {question id: answer}. No token, no time of day, no address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    submitted_on = models.DateField(_("answered on"))
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name = _("survey response")

    def __str__(self) -> str:
        return f"{self.survey_id} {self.submitted_on}"
