"""Counting the answers of a survey, as a person with the answer sheets would.

* A choice's **percentage** is the answers that chose it over the respondents who answered that question (an
  optional question left blank is not counted; a multiple-choice question's percentages may add up to more than
  100).
* **满意率** (satisfaction rate) = favourable answers / answers, over the survey's rating-scale questions:
  好 and 较好 on the 好/较好/一般/差 scale, 满意 and 基本满意 on the 满意/基本满意/不满意 scale. Each question has
  its own rate, and the survey's rate counts every rated answer of every respondent (seed 001 reports one
  figure for 872 cadres this way). With nothing to count the rate is "—".
* **Response rate** (参评率) = answer sheets received / tokens issued (tokens of a voided batch that were never
  used are not counted as issued).
* Every rate has two decimals, rounded half up (`core.rates.percentage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xuncha.core.rates import percentage
from xuncha.surveys.models import FAVOURABLE, Question, QuestionKind


@dataclass
class ChoiceCount:
    label: str
    count: int = 0
    percent: Decimal | None = None
    favourable: bool = False


@dataclass
class QuestionTally:
    question: Question
    answered: int = 0
    choices: list[ChoiceCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    favourable: int = 0

    @property
    def rated(self) -> bool:
        return self.question.kind == QuestionKind.RATING

    @property
    def satisfaction(self) -> Decimal | None:
        return percentage(self.favourable, self.answered) if self.rated else None


@dataclass
class SurveyTally:
    responses: int
    tokens_issued: int
    questions: list[QuestionTally]

    @property
    def response_rate(self) -> Decimal | None:
        return percentage(self.responses, self.tokens_issued)

    @property
    def rated_answers(self) -> int:
        return sum(q.answered for q in self.questions if q.rated)

    @property
    def favourable_answers(self) -> int:
        return sum(q.favourable for q in self.questions if q.rated)

    @property
    def satisfaction(self) -> Decimal | None:
        return percentage(self.favourable_answers, self.rated_answers)

    @property
    def has_rating(self) -> bool:
        return any(q.rated for q in self.questions)

    @property
    def suggestions(self) -> int:
        """Free-text answers that say something (意见建议 collected)."""
        return sum(len(q.texts) for q in self.questions)


def tally(questions: Sequence[Question], answer_sheets: Iterable[dict], *, tokens_issued: int) -> SurveyTally:
    """Count `answer_sheets` ({question id as text: answer}) for `questions`. Free-text answers are kept in
    their text order (sorted), so the listing says nothing about who answered first."""
    rows = {str(q.pk): QuestionTally(question=q, choices=[
        ChoiceCount(label=label, favourable=q.kind == QuestionKind.RATING and i < FAVOURABLE.get(q.scale, 0))
        for i, label in enumerate(q.options)]) for q in questions}
    responses = 0
    for sheet in answer_sheets:
        responses += 1
        for key, value in (sheet or {}).items():
            row = rows.get(key)
            if row is None:
                continue
            _count(row, value)
    for row in rows.values():
        row.texts.sort()
        for choice in row.choices:
            choice.percent = percentage(choice.count, row.answered)
    return SurveyTally(responses=responses, tokens_issued=tokens_issued, questions=list(rows.values()))


def _count(row: QuestionTally, value) -> None:
    kind = row.question.kind
    if kind == QuestionKind.TEXT:
        text = str(value or "").strip()
        if text:
            row.answered += 1
            row.texts.append(text)
        return
    positions = value if kind == QuestionKind.MULTIPLE else [value]
    valid = sorted({p for p in positions if type(p) is int and 0 <= p < len(row.choices)})  # noqa: E721 (no bools)
    if not valid:
        return
    row.answered += 1
    for position in valid:
        row.choices[position].count += 1
        if row.choices[position].favourable:
            row.favourable += 1
