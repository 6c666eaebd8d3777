"""Forms of the group draw pages (web/draw_views.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.pool import draw as lots
from xuncha.pool.models import Rank
from xuncha.pool.services import SIZE_LIMITS

D = lots.DEFAULT_CONSTRAINTS
LOW, HIGH = SIZE_LIMITS
BOOLEAN_FIELDS = ("finance_or_audit", "discipline", "mixed_gender", "distinct_units", "leader_from_above",
                  "cross_county")
CONSTRAINT_FIELDS = ("size", "min_size", "max_size", "leader_min_rank", *BOOLEAN_FIELDS, "work_years")


class UnitChoice(forms.ModelChoiceField):
    def __init__(self, *args, several_committees: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.several_committees = several_committees

    def label_from_instance(self, unit) -> str:
        return f"{unit.committee.region} · {unit}" if self.several_committees else str(unit)


class InspectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, inspection) -> str:
        units = "、".join(str(u) for u in inspection.units.all())
        return f"{inspection.round} · {inspection.group.name} · {units}"


class DrawForm(forms.Form):
    unit = UnitChoice(label=_("Unit to inspect"), queryset=None)
    inspection = InspectionChoice(
        label=_("Inspection in preparation"), queryset=None, required=False,
        empty_label=_("(none yet: the group is drawn before the inspection is set up)"),
        help_text=_("The inspection must cover the unit. A group drawn for an inspection can then be put on it."))
    size = forms.IntegerField(label=_("Group size"), min_value=LOW, max_value=HIGH, initial=D["size"])
    min_size = forms.IntegerField(label=_("Smallest group allowed"), min_value=LOW, max_value=HIGH,
                                  initial=D["min_size"])
    max_size = forms.IntegerField(label=_("Largest group allowed"), min_value=LOW, max_value=HIGH,
                                  initial=D["max_size"])
    leader_min_rank = forms.TypedChoiceField(label=_("Group leader's minimum rank"), coerce=int,
                                             choices=Rank.choices, initial=D["leader_min_rank"])
    finance_or_audit = forms.BooleanField(label=_("At least one member with a finance or audit speciality"),
                                          required=False, initial=D["finance_or_audit"])
    discipline = forms.BooleanField(label=_("At least one member from discipline inspection"), required=False,
                                    initial=D["discipline"])
    mixed_gender = forms.BooleanField(label=_("Both genders in the group"), required=False,
                                      initial=D["mixed_gender"])
    distinct_units = forms.BooleanField(label=_("No two members from the same unit"), required=False,
                                        initial=D["distinct_units"])
    leader_from_above = forms.BooleanField(
        label=_("以上巡下: the leader comes from the level above"), required=False, initial=D["leader_from_above"],
        help_text=_("Drawn by the office of the level above, from its group-leader pool."))
    cross_county = forms.BooleanField(
        label=_("交叉: the members come from another county"), required=False, initial=D["cross_county"],
        help_text=_("Drawn by the office of the level above, from the pools of the other committees at this level."))
    work_years = forms.IntegerField(
        label=_("Years of past work at the unit that rule a person out"), min_value=0, max_value=60,
        initial=D["work_years"], help_text=_("0: having ever worked there rules a person out."))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].several_committees = units.values("committee_id").distinct().count() > 1
        self.fields["inspection"].queryset = inspections

    def clean(self):
        data = super().clean()
        unit, inspection = data.get("unit"), data.get("inspection")
        if unit is not None and inspection is not None and not inspection.units.filter(pk=unit.pk).exists():
            self.add_error("inspection", _("This inspection does not cover the unit chosen."))
        return data

    def constraints(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONSTRAINT_FIELDS}


class RunForm(forms.Form):
    witness_words = forms.CharField(
        label=_("Witnesses' words"), max_length=100, required=False,
        help_text=_("Any words or number the witnesses choose now, after the commitment was shown to them. They go "
                    "into the randomness together with the committed seed, so neither side alone decides the lots."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApplyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
