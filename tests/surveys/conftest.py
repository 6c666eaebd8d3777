from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from xuncha.core.dates import today
from xuncha.surveys import services
from xuncha.surveys.models import QuestionKind, Survey


@pytest.fixture(autouse=True)
def _clean_cache():
    """The public pages count wrong codes and posts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def make_survey(world, *, purpose: str = "appraisal", inspection=None, actor=None, open_it: bool = True,
                **kwargs) -> Survey:
    inspection = inspection or world.inspection_a2
    actor = actor or world.user("inspector_a2")
    survey = services.survey_create(actor=actor, inspection=inspection, purpose=purpose, opens_on=today(),
                                    closes_on=today() + datetime.timedelta(days=10), **kwargs)
    if open_it:
        survey = services.survey_open(actor=actor, survey=survey, expected_version=survey.version)
    return survey


def issue(survey: Survey, count: int, actor=None) -> list[str]:
    _batch, codes = services.tokens_issue(actor=actor, survey=survey, count=count)
    return codes


def answers_for(survey: Survey, choice: int = 0, text: str = "") -> dict[str, object]:
    """Every question answered: option `choice` of each choice question (all of them for multiple choice up to
    it), `text` for the written ones."""
    raw: dict[str, object] = {}
    for question in survey.questions.order_by("order"):
        if question.kind == QuestionKind.TEXT:
            if text:
                raw[str(question.pk)] = text
        elif question.kind == QuestionKind.MULTIPLE:
            raw[str(question.pk)] = [str(i) for i in range(min(choice + 1, len(question.options)))]
        else:
            raw[str(question.pk)] = str(min(choice, len(question.options) - 1))
    return raw
