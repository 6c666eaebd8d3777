"""Forms of the ledger pages. They only shape and check input; every write goes through a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.core.dates import today
from xuncha.findings.models import (
    CATEGORY_GROUPS,
    Cause,
    ClueDisposal,
    Cognition,
    Depth,
    Disposal,
    FaultKind,
    Problem,
    ProblemStatus,
    Suggestion,
)
from xuncha.rectification.models import Task, TaskKind, TaskStatus
from xuncha.rounds.models import Inspection

ALL = ("", _("All"))
NOT_JUDGED = ("", _("Not judged"))
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


def grouped_categories() -> list:
    """The categories under the headings ledgers use (六大纪律, 四风, 八项规定, 党的领导/建设/从严治党)."""
    return [(heading, [(c.value, c.label) for c in members]) for heading, members in CATEGORY_GROUPS.items()]


# --- filters ------------------------------------------------------------------------------------------

class FilterForm(forms.Form):
    """A GET filter bar: an unknown or stale value is dropped, never an error page."""

    def selected(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if data.get(name) not in (None, "")}

    def described(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, for the export's subtitle."""
        out = []
        for name, value in self.selected().items():
            field = self.fields[name]
            shown = str(value)
            if isinstance(field, forms.ChoiceField):
                for key, label in field.choices:
                    if isinstance(label, list | tuple):
                        shown = next((str(sub) for k, sub in label if str(k) == str(value)), shown)
                    elif str(key) == str(value):
                        shown = str(label)
            out.append((str(field.label), shown))
        return out


def _choice(label, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[ALL, *choices], required=False, **kwargs)


class ProblemFilterForm(FilterForm):
    round = forms.ChoiceField(label=_("Round"), required=False)
    inspection = forms.ChoiceField(label=_("Inspection"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    disposal = _choice(_("Disposal"), Disposal.choices)
    status = _choice(_("Status"), ProblemStatus.choices)
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Description or unit")}))

    def __init__(self, *args, rounds=(), inspections=(), units=(), internal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not internal:
            del self.fields["disposal"]
        self.fields["round"].choices = [ALL, *rounds]
        self.fields["inspection"].choices = [ALL, *inspections]
        self.fields["unit"].choices = [ALL, *units]
        self.fields["category"].choices = [ALL, *grouped_categories()]


TASK_STATUS_CHOICES = [*TaskStatus.choices, ("overdue", _("Overdue"))]


class TaskFilterForm(FilterForm):
    status = _choice(_("Status"), TASK_STATUS_CHOICES)
    round = forms.ChoiceField(label=_("Round"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, rounds=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [ALL, *rounds]
        self.fields["unit"].choices = [ALL, *units]


CLUE_STATES = [
    ("waiting", _("Awaiting disposal")),
    ("overdue", _("Not answered within 3 months")),
    ("disposed", _("Disposed")),
]


class ClueFilterForm(FilterForm):
    state = _choice(_("Disposal state"), CLUE_STATES)
    round = forms.ChoiceField(label=_("Round"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, rounds=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [ALL, *rounds]
        self.fields["unit"].choices = [ALL, *units]


class SuggestionFilterForm(FilterForm):
    status = _choice(_("Status"), Suggestion.Status.choices)
    round = forms.ChoiceField(label=_("Round"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, rounds=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [ALL, *rounds]
        self.fields["unit"].choices = [ALL, *units]


# --- problems ---------------------------------------------------------------------------------------

class ProblemForm(forms.Form):
    """Record or edit a problem. `inspection` given: the unit is chosen among its units (recording)."""

    unit = forms.ModelChoiceField(label=_label(Problem, "unit"), queryset=None, empty_label=None)
    description = forms.CharField(label=_label(Problem, "description"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence_summary = forms.CharField(label=_label(Problem, "evidence_summary"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("Where the evidence is: records, vouchers, talk numbers…"))
    category = forms.ChoiceField(label=_label(Problem, "category"))
    disposal = forms.ChoiceField(label=_label(Problem, "disposal"), choices=Disposal.choices,
                                 initial=Disposal.GENERAL)
    found_on = forms.DateField(label=_label(Problem, "found_on"), widget=DATE)
    key_person = forms.BooleanField(label=_label(Problem, "key_person"), required=False)
    key_person_names = forms.CharField(label=_label(Problem, "key_person_names"), required=False, max_length=200,
                                       help_text=_("For example the principal leader or members of the leadership."))
    key_matter = forms.BooleanField(label=_label(Problem, "key_matter"), required=False)
    fault_kind = forms.ChoiceField(label=_label(Problem, "fault_kind"), required=False,
                                   choices=[NOT_JUDGED, *FaultKind.choices])
    depth = forms.ChoiceField(label=_label(Problem, "depth"), required=False, choices=[NOT_JUDGED, *Depth.choices])
    cognition = forms.ChoiceField(label=_label(Problem, "cognition"), required=False,
                                  choices=[NOT_JUDGED, *Cognition.choices])
    cause = forms.ChoiceField(label=_label(Problem, "cause"), required=False, choices=[NOT_JUDGED, *Cause.choices])
    nature_reason = forms.CharField(label=_label(Problem, "nature_reason"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Required when the problem is judged a mistake or a dereliction."))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = ("description", "evidence_summary", "category", "key_person", "key_person_names", "key_matter",
                      "disposal", "fault_kind", "depth", "cognition", "cause", "nature_reason")

    def __init__(self, *args, inspection: Inspection | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category")), *grouped_categories()]
        if editing:
            # Which unit and when it was found are facts of the record; editing changes what was judged.
            del self.fields["unit"]
            del self.fields["found_on"]
            del self.fields["form_token"]
        else:
            del self.fields["version"]
            self.fields["unit"].queryset = inspection.units.select_related("parent").order_by("name")
            self.fields["found_on"].initial = today()

    def clean_found_on(self):
        day = self.cleaned_data["found_on"]
        if day and day > today():
            raise forms.ValidationError(_("The date found cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("fault_kind") and not (data.get("nature_reason") or "").strip():
            self.add_error("nature_reason", _("Give the reason for the judgement."))
        if (data.get("key_person_names") or "").strip() and not data.get("key_person"):
            data["key_person"] = True
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ledger file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


# --- rectification ----------------------------------------------------------------------------------

class TaskForm(forms.Form):
    measure = forms.CharField(label=_label(Task, "measure"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_leader = forms.CharField(label=_label(Task, "responsible_leader"), max_length=50)
    responsible_department = forms.CharField(label=_label(Task, "responsible_department"), max_length=80)
    responsible_person = forms.CharField(label=_label(Task, "responsible_person"), max_length=50)
    kind = forms.ChoiceField(label=_label(Task, "kind"), choices=TaskKind.choices, initial=TaskKind.TIME_LIMITED)
    deadline = forms.DateField(label=_label(Task, "deadline"), required=False, widget=DATE,
                               help_text=_("Only long-term tasks may go without a deadline."))

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != TaskKind.LONG_TERM and not data.get("deadline"):
            self.add_error("deadline", _("Set a deadline (only long-term tasks may go without)."))
        return data


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class SubmitForm(forms.Form):
    text = forms.CharField(label=_("Note to the office"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Check note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it is returned"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- clues and suggestions ----------------------------------------------------------------------------

class ClueDisposeForm(forms.Form):
    disposal = forms.ChoiceField(label=_("Disposal"), choices=[("", _("Choose")), *ClueDisposal.choices])
    on_date = forms.DateField(label=_("Disposed on"), widget=DATE)
    note = forms.CharField(label=_("Disposal note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_date"].initial = today()

    def clean_on_date(self):
        day = self.cleaned_data["on_date"]
        if day and day > today():
            raise forms.ValidationError(_("The disposal date cannot be in the future."))
        return day


class SuggestionCompleteForm(forms.Form):
    note = forms.CharField(label=_("How it was completed"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
