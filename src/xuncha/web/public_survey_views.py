"""The public survey pages (/survey/, namespace "survey"): no login, phone-first, anonymous.

A respondent arrives by the QR code of a slip (the code in the URL, `t/<code>/`) or types the code on the start
page. The answer form posts to `answer/` with the code in the body, so no address that still works ends up in a
server log line. Nothing here reads, logs or stores an IP address: like the report pages, every view first blanks
REMOTE_ADDR and the proxy headers. Limits are counters in the cache only: posts per browser (a random cookie),
wrong codes per browser, and wrong secrets per lookup (so guessing one slip's code is stopped too).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from xuncha.core.errors import ServiceError
from xuncha.surveys import services
from xuncha.surveys.models import Question, QuestionKind, Survey
from xuncha.surveys.selectors import survey_questions
from xuncha.surveys.tokens import code_display, code_normalise, code_split
from xuncha.web.anonymous import anonymous, browser_digest, count_up, rate_window

# Per browser and window (REPORT_RATE_WINDOW_SECONDS): answer-form posts, and wrong codes. Per lookup: wrong
# secrets, after which the lookup is refused for the rest of the window. Settings may override the defaults.
POSTS_PER_BROWSER = 60
WRONG_CODES_PER_BROWSER = 10
WRONG_SECRETS_PER_LOOKUP = 5
REFUSAL_STATUS = {"unknown": 404, "used": 409, "void": 410, "closed": 410, "not_open": 403}


# --- limits (cache only, never by address) --------------------------------------------------------------------

def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _limits() -> dict[str, int]:
    return {"posts": int(getattr(settings, "SURVEY_POSTS_PER_BROWSER", POSTS_PER_BROWSER)),
            "codes": int(getattr(settings, "SURVEY_WRONG_CODES_PER_BROWSER", WRONG_CODES_PER_BROWSER)),
            "secrets": int(getattr(settings, "SURVEY_WRONG_SECRETS_PER_LOOKUP", WRONG_SECRETS_PER_LOOKUP))}


def _lookup_key(code: str) -> str | None:
    parts = code_split(code)
    return f"survey-wrong-lookup:{parts[0]}" if parts else None


def _blocked(request: HttpRequest, code: str = "") -> bool:
    """Too many wrong codes from this browser, or too many wrong secrets for this code's lookup."""
    limits = _limits()
    browser = browser_digest(request)
    if browser and _count(f"survey-wrong-codes:{browser}") >= limits["codes"]:
        return True
    key = _lookup_key(code)
    return bool(key and _count(key) >= limits["secrets"])


def _wrong_code(request: HttpRequest, code: str) -> None:
    browser = browser_digest(request)
    if browser:
        count_up(f"survey-wrong-codes:{browser}")
    key = _lookup_key(code)
    if key:
        count_up(key)


class _TooMany(Exception):
    """Too many wrong codes from this browser, or for this code's lookup: `public` answers 429."""


def _find(request: HttpRequest, code: str):
    """The token of `code`, or None for a wrong code (which is counted). Nothing is checked once the limits are
    reached: not even a right code gets in until the window has passed."""
    if _blocked(request, code):
        raise _TooMany
    found = services.token_find(code)
    if found is None:
        _wrong_code(request, code)
    return found


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "survey_public/limited.html", {"window_minutes": max(1, rate_window() // 60)}, status=429)


def public(view):
    """Blank the client's address, count posts per browser, and keep answers out of caches and referrers.

    A first visit has no cookie yet (`browser_digest` is None). Cookieless requests are not pooled into one counter:
    anyone could fill it and lock out every first visitor arriving by QR code. The per-lookup limit still stops
    guessing one slip's code, and guessing at random is hopeless (tokens.py)."""

    @anonymous
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        browser = browser_digest(request)
        if request.method == "POST" and browser and count_up(f"survey-posts:{browser}") > _limits()["posts"]:
            return _limited(request)
        try:
            return view(request, *args, **kwargs)
        except _TooMany:
            return _limited(request)

    return wrapper


# --- the answer form ------------------------------------------------------------------------------------------

def _sections(questions: list[Question], values: dict, errors: dict[str, str]) -> list[dict]:
    """The questions for the template, grouped under their section headings, with what was typed or chosen."""
    groups: list[dict] = []
    for number, question in enumerate(questions, start=1):
        key = str(question.pk)
        value = values.get(key)
        chosen = {str(v) for v in (value if isinstance(value, list) else [value]) if v not in (None, "")}
        item = {
            "question": question, "number": number, "name": question.field_name, "error": errors.get(key, ""),
            "text": value if question.kind == QuestionKind.TEXT and isinstance(value, str) else "",
            "options": [{"value": str(i), "label": label, "checked": str(i) in chosen}
                        for i, label in enumerate(question.options)],
            "input": "checkbox" if question.kind == QuestionKind.MULTIPLE else "radio",
        }
        if not groups or groups[-1]["section"] != question.section:
            groups.append({"section": question.section, "items": []})
        groups[-1]["items"].append(item)
    return groups


def _raw_answers(request: HttpRequest, questions: list[Question]) -> dict:
    raw = {}
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE:
            raw[str(question.pk)] = request.POST.getlist(question.field_name)
        else:
            raw[str(question.pk)] = request.POST.get(question.field_name, "")
    return raw


def _form(request: HttpRequest, survey: Survey, code: str, *, values: dict | None = None,
          errors: dict[str, str] | None = None, error: str = "", status: int = 200) -> HttpResponse:
    questions = survey_questions(survey)
    return render(request, "survey_public/form.html", {
        "survey": survey, "code": code_normalise(code), "code_shown": code_display(code),
        "sections": _sections(questions, values or {}, errors or {}), "error": error,
        "n_errors": len(errors or {}), "units": list(survey.inspection.units.all()),
    }, status=status)


def _refused(request: HttpRequest, refusal: services.CodeRefused, *, status: int) -> HttpResponse:
    return render(request, "survey_public/refused.html", {"refusal": refusal, "survey": refusal.survey},
                  status=status)


# --- pages ----------------------------------------------------------------------------------------------------

@public
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Type the code from the slip."""
    if request.method == "GET":
        return render(request, "survey_public/start.html", {})
    code = request.POST.get("code", "")
    if _find(request, code) is None:
        return render(request, "survey_public/start.html",
                      {"code": code[:40], "error": services.code_refusal(None).message}, status=404)
    return redirect("survey:token", code=code_normalise(code))


@public
@require_http_methods(["GET"])
def token(request: HttpRequest, code: str) -> HttpResponse:
    """The page a slip's QR code opens: the form, or why the code cannot be used now."""
    if code != code_normalise(code) and code_split(code):
        return redirect("survey:token", code=code_normalise(code))
    found = _find(request, code)
    refusal = services.code_refusal(found)
    if refusal is not None:
        # Only a code that is no good at all answers an error status: a log line must never hold a code that
        # still works (one of a survey that has not started, for instance).
        return _refused(request, refusal, status=404 if refusal.reason == "unknown" else 200)
    return _form(request, found.survey, code)


@public
@require_http_methods(["POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """Take the answer sheet. Errors re-show the form with everything kept; success shows the thanks page."""
    code = request.POST.get("code", "")
    found = _find(request, code)
    if found is None:
        return _refused(request, services.code_refusal(None), status=404)
    questions = survey_questions(found.survey)
    raw = _raw_answers(request, questions)
    try:
        services.response_submit(code=code, answers=raw)
    except services.CodeRefused as exc:
        return _refused(request, exc, status=REFUSAL_STATUS.get(exc.reason, 400))
    except services.AnswersInvalid as exc:
        return _form(request, found.survey, code, values=raw, errors=exc.errors, error=exc.message, status=400)
    except ServiceError as exc:
        return _form(request, found.survey, code, values=raw, error=exc.message, status=400)
    return redirect(reverse("survey:done"))


@public
@require_http_methods(["GET"])
def done(request: HttpRequest) -> HttpResponse:
    return render(request, "survey_public/done.html", {})
