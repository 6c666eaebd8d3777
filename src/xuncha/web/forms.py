"""Forms of the oversight pages. They only parse input; services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Committee
from xuncha.rounds.models import Inspection, Round


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _label(model, field: str):
    # Field labels come from the models (translated in the core catalogue), so one term reads one way.
    return model._meta.get_field(field).verbose_name


class LoginForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class VersionedForm(forms.Form):
    """Carries the version of the record the editor loaded (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoundApprovalForm(VersionedForm):
    approved_on = forms.DateField(label=_label(Round, "approved_on"), widget=DateInput)
    meeting = forms.CharField(label=_label(Round, "approval_meeting"), max_length=150,
                              help_text=_("For example: the county party secretary's special meeting, 2024 no. 3"))
    note = forms.CharField(label=_label(Round, "approval_note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class InspectionAdvanceForm(VersionedForm):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    on_date = forms.DateField(label=_("Date it happened"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class InspectionScheduleForm(VersionedForm):
    notice_sent_on = forms.DateField(label=_label(Inspection, "notice_sent_on"), required=False, widget=DateInput)
    entry_on = forms.DateField(label=_label(Inspection, "entry_on"), required=False, widget=DateInput)
    fieldwork_ends_on = forms.DateField(label=_label(Inspection, "fieldwork_ends_on"), required=False,
                                        widget=DateInput)


class DeadlineRulesForm(VersionedForm):
    notice_days_before_entry = forms.IntegerField(
        label=_label(Committee, "notice_days_before_entry"), min_value=0, max_value=365,
        help_text=_("Days between the inspection notice and the start of fieldwork."))
    report_months_after_fieldwork = forms.IntegerField(
        label=_label(Committee, "report_months_after_fieldwork"), min_value=0, max_value=365,
        help_text=_("Months after fieldwork ends within which the leading group hears the report."))
    rectify_report_months_after_feedback = forms.IntegerField(
        label=_label(Committee, "rectify_report_months_after_feedback"), min_value=0, max_value=365,
        help_text=_("Months after feedback within which the unit reports its rectification in writing."))
