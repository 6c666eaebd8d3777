"""Forms of the rectification pages: evidence, 销号, 催办, 问责, paper-rectification flags and random re-checks.

They only shape and check input; every write goes through a service, which decides again.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.core.dates import today
from xuncha.rectification.models import AccountabilityKind, FlagKind, FlagStatus, RecheckResult
from xuncha.web.ledger_forms import ALL, DATE, FilterForm

# What the file picker offers; the server decides the type from the content, never from this list.
EVIDENCE_ACCEPT = (".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png,"
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MAX_FILES_PER_REPORT = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: cleaned to a list of UploadedFile (not read yet)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class EvidenceProgressForm(forms.Form):
    """A progress report with its evidence files. The files themselves are read by the view, in chunks."""

    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    files = MultipleFileField(
        label=_("Evidence files"), required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": EVIDENCE_ACCEPT}),
        help_text=_("PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx). Photos lose their location and camera data."))
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_REPORT:
            raise forms.ValidationError(_("At most %(n)s files can be sent with one report.")
                                        % {"n": MAX_FILES_PER_REPORT})
        return files


class TaskCloseForm(forms.Form):
    """销号: the office has checked the evidence against the ledger (对账) and signs and dates the closing."""

    note = forms.CharField(label=_("Check note (对账)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What was checked against the ledger. Required when no evidence was filed."))
    # Prefilled, and required by the browser; a client that leaves them out gets the service's defaults
    # (the account's name, today).
    signature = forms.CharField(label=_("Signed by"), max_length=50, required=False,
                                widget=forms.TextInput(attrs={"required": True, "autocomplete": "name"}))
    on_date = forms.DateField(label=_("Closed on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "required": True}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, signer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature"].initial = signer
        self.fields["on_date"].initial = today()

    def clean_on_date(self):
        day = self.cleaned_data["on_date"]
        if day and day > today():
            raise forms.ValidationError(_("A task cannot be closed on a future date."))
        return day


class UrgeForm(forms.Form):
    message = forms.CharField(label=_("What the unit is urged to do"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AccountabilityForm(forms.Form):
    """问责 for a task: the person is one of the unit's cadres, or typed when not on the list."""

    cadre = forms.ChoiceField(label=_("Cadre of the unit"), required=False)
    person_name = forms.CharField(label=_("Or the person's name"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("Measure taken"), choices=[("", _("Choose")), *AccountabilityKind.choices])
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    decided_by = forms.CharField(label=_("Decided by"), max_length=100)
    reason = forms.CharField(label=_("Grounds for the measure"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", _("Not on the list")), *((str(c.pk), str(c)) for c in cadres)]
        self.fields["decided_on"].initial = today()

    def clean(self):
        data = super().clean()
        if not data.get("cadre") and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("Choose a cadre or write the person's name."))
        return data


# --- paper-rectification flags ------------------------------------------------------------------------

class FlagFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[ALL, *FlagKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ALL, *FlagStatus.choices])
    round = forms.ChoiceField(label=_("Round"), required=False)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [ALL, *rounds]


class FlagResolveForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (FlagStatus.CONFIRMED, _("Confirm: this is paper rectification")),
        (FlagStatus.DISMISSED, _("Dismiss: the rectification is genuine")),
    ])
    note = forms.CharField(label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required to dismiss: say why the flag does not hold."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == FlagStatus.DISMISSED and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the flag is dismissed."))
        return data


# --- random re-checks ---------------------------------------------------------------------------------

class RecheckDrawForm(forms.Form):
    round = forms.ChoiceField(label=_("Round"))
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=500, initial=5)
    seed = forms.CharField(label=_("Seed (optional)"), required=False, max_length=64,
                           help_text=_("Leave empty for a random seed. The seed is kept, so anyone can draw the same "
                                       "sample again."))

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("Choose a round")), *rounds]


class RecheckRecordForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), widget=forms.RadioSelect, choices=[
        (RecheckResult.PASSED, RecheckResult.PASSED.label),
        (RecheckResult.FAILED, RecheckResult.FAILED.label),
    ])
    finding = forms.CharField(label=_("What was found on site"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when the task was not really rectified; the task is reopened."))
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = today()

    def clean(self):
        data = super().clean()
        if data.get("result") == RecheckResult.FAILED and not (data.get("finding") or "").strip():
            self.add_error("finding", _("Say what was found on site."))
        if data.get("checked_on") and data["checked_on"] > today():
            self.add_error("checked_on", _("The re-check cannot be dated in the future."))
        return data
