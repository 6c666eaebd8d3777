"""Forms of the talent pool's pages (巡察人才库). They only parse input; pool.members decides and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.org.models import Unit, UnitKind, User
from xuncha.pool.members import RELATIONS
from xuncha.pool.models import (
    Declaration,
    DeclarationKind,
    Gender,
    Grade,
    Rank,
    Recommendation,
    Relative,
    Speciality,
    Standing,
    Talent,
    TalentKind,
    WorkPeriod,
)
from xuncha.pool.selectors import linkable_accounts, mask_id_number, pool_units
from xuncha.web.forms import DateInput


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return str(obj)


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}（{obj.username}）" if obj.display_name else obj.username


class TalentForm(forms.Form):
    """A pool member. On edit the ID number is not shown (it stays masked on screen): left empty, it is kept."""

    committee = forms.ModelChoiceField(label=_("Pool"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_label(Talent, "id_number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    gender = forms.ChoiceField(label=_label(Talent, "gender"), required=False,
                               choices=[("", _("(from the ID number)")), *Gender.choices])
    birth_date = forms.DateField(label=_label(Talent, "birth_date"), required=False, widget=DateInput,
                                 help_text=_("May be left empty: it is read from the ID number."))
    kind = forms.ChoiceField(label=_label(Talent, "kind"), choices=TalentKind.choices)
    speciality = forms.ChoiceField(label=_label(Talent, "speciality"), choices=Speciality.choices)
    rank = forms.TypedChoiceField(label=_label(Talent, "rank"), choices=Rank.choices, coerce=int, initial=Rank.NONE)
    unit_name = forms.CharField(label=_label(Talent, "unit_name"), max_length=120, required=False,
                                widget=forms.TextInput(attrs={"list": "pool-unit-names"}),
                                help_text=_("A name that matches a unit of the unit library (a village with its "
                                            "township, like 城关镇东关村) is linked to it."))
    position = forms.CharField(label=_label(Talent, "position"), max_length=80, required=False)
    home_township = UnitChoiceField(label=_label(Talent, "home_township"), queryset=None, required=False,
                                    empty_label=_("(none or outside the county)"))
    home_village = UnitChoiceField(label=_label(Talent, "home_village"), queryset=None, required=False,
                                   empty_label=_("(none or outside the county)"))
    phone = forms.CharField(label=_label(Talent, "phone"), max_length=20, required=False)
    can_lead = forms.BooleanField(label=_label(Talent, "can_lead"), required=False)
    available = forms.BooleanField(label=_label(Talent, "available"), required=False, initial=True)
    unavailable_reason = forms.CharField(label=_label(Talent, "unavailable_reason"), max_length=120, required=False)
    account = AccountChoiceField(label=_("Platform account"), queryset=None, required=False,
                                 empty_label=_("(none yet)"),
                                 help_text=_("The inspector account they use when they serve on a group: their "
                                             "groups and assessments are read from it."))
    notes = forms.CharField(label=_label(Talent, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = ("name", "id_number", "gender", "birth_date", "kind", "speciality", "rank", "unit_name",
                      "position", "home_township", "home_village", "phone", "can_lead", "available",
                      "unavailable_reason", "account", "notes")

    def __init__(self, *args, viewer: User, committees, talent: Talent | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.talent = talent
        if talent is not None:
            del self.fields["committee"]
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": mask_id_number(talent.id_number)}
            scope = pool_units(talent.committee)
        else:
            self.fields["committee"].queryset = committees
            scope = Unit.objects.filter(committee__in=committees).select_related("parent")
        self.fields["home_township"].queryset = scope.filter(kind=UnitKind.TOWNSHIP).order_by("name")
        self.fields["home_village"].queryset = scope.filter(kind=UnitKind.VILLAGE).order_by("parent__name", "name")
        self.fields["account"].queryset = linkable_accounts(viewer=viewer, talent=talent)

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.SERVICE_FIELDS}
        if self.talent is not None and not (data["id_number"] or "").strip():
            data.pop("id_number")
        return data


class WorkPeriodForm(forms.Form):
    unit_name = forms.CharField(label=_label(WorkPeriod, "unit_name"), max_length=120,
                                widget=forms.TextInput(attrs={"list": "pool-unit-names"}))
    position = forms.CharField(label=_label(WorkPeriod, "position"), max_length=80, required=False)
    started_on = forms.DateField(label=_label(WorkPeriod, "started_on"), widget=DateInput)
    ended_on = forms.DateField(label=_label(WorkPeriod, "ended_on"), widget=DateInput, required=False,
                               help_text=_("Empty: still in this post."))


class RelativeForm(forms.Form):
    name = forms.CharField(label=_("Relative's name"), max_length=50)
    relation = forms.ChoiceField(label=_label(Relative, "relation"), choices=[(r, r) for r in RELATIONS])
    id_number = forms.CharField(label=_label(Relative, "id_number"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    unit_name = forms.CharField(label=_label(Relative, "unit_name"), max_length=120, required=False,
                                widget=forms.TextInput(attrs={"list": "pool-unit-names"}))


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_label(Declaration, "kind"), choices=DeclarationKind.choices)
    unit = UnitChoiceField(label=_label(Declaration, "unit"), queryset=None)
    leader = forms.CharField(label=_label(Declaration, "leader"), max_length=50, required=False,
                             help_text=_("Required for a conflict with the unit's leaders."))
    reason = forms.CharField(label=_label(Declaration, "reason"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
    declared_on = forms.DateField(label=_label(Declaration, "declared_on"), widget=DateInput)

    def __init__(self, *args, talent: Talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = pool_units(talent.committee)


class AvailabilityForm(forms.Form):
    available = forms.BooleanField(label=_label(Talent, "available"), required=False)
    unavailable_reason = forms.CharField(label=_label(Talent, "unavailable_reason"), max_length=120, required=False)
    can_lead = forms.BooleanField(label=_label(Talent, "can_lead"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TieCheckForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit to inspect"), queryset=None, empty_label=_("(choose a unit)"))
    years = forms.IntegerField(label=_("Past work counts for (years, 0 = ever)"), min_value=0, max_value=60,
                               initial=0, required=False)

    def __init__(self, *args, talent: Talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = pool_units(talent.committee)


class PoolImportForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Import into the pool of"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Pool workbook (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices])
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices])
    comments = forms.CharField(label=_("Comments"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)


STANDING_BADGE = {Standing.ACTIVE: "badge-gray", Standing.RECOMMENDED: "badge-green",
                  Standing.REMINDED: "badge-yellow", Standing.REMOVED: "badge-red"}
