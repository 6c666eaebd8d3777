"""Forms of the plan pages (feedback, rectification plans, the written report).

They only shape input; the dates, the form of feedback and its organs are checked by the services, whose
refusals land on the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.rectification.models import FeedbackForm, JointOrgan, PlanStatus
from xuncha.web.ledger_forms import ALL, DATE, FilterForm, TaskForm


class PlanFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Plan status"), required=False, choices=[ALL, *PlanStatus.choices])
    round = forms.ChoiceField(label=_("Round"), required=False)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [ALL, *rounds]


class PlanTaskForm(TaskForm):
    """task_create's form, for one problem of the plan; the token stops a double click adding the task twice."""

    problem = forms.IntegerField(widget=forms.HiddenInput)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = ("measure", "responsible_leader", "responsible_department", "responsible_person", "kind",
                      "deadline")

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class PlanMoveForm(forms.Form):
    """Submit or accept: the plan's version, and an optional comment (accept)."""

    comment = forms.CharField(label=_("Comments to the unit"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanReturnForm(forms.Form):
    comment = forms.CharField(label=_("What the unit must change"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Write what the unit must change.")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in plan (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)


class FeedbackMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the feedback meeting"), widget=DATE)
    location = forms.CharField(label=_("Location"), required=False, max_length=120)
    form = forms.ChoiceField(label=_("Form of feedback"), choices=FeedbackForm.choices, initial=FeedbackForm.ORDINARY,
                             widget=forms.RadioSelect(attrs={"data-feedback-form": ""}))
    joint_organs = forms.MultipleChoiceField(
        label=_("Organs taking part (joint feedback)"), required=False, choices=JointOrgan.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("Joint feedback names at least two organs."))
    escalated_to = forms.CharField(label=_("Level above that received it (escalated feedback)"), required=False,
                                   max_length=120, help_text=_("For example the county party committee's standing "
                                                               "committee."))
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                help_text=_("Group members, the unit's leadership and others present."))
    presided_by = forms.CharField(label=_("Presided by"), required=False, max_length=50)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = ("held_on", "location", "form", "joint_organs", "escalated_to", "attendees", "presided_by")

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class FeedbackSignForm(forms.Form):
    signed_by = forms.CharField(label=_("Signed by (unit head)"), max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    scan = forms.FileField(label=_("Scanned signed page (PDF, JPEG or PNG)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    document = forms.FileField(label=_("Report document (optional)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)


class ReportDiscloseForm(forms.Form):
    disclosed_on = forms.DateField(label=_("Made public on"), widget=DATE)
