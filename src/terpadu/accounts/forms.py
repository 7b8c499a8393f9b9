from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.accounts.models import Role, User
from terpadu.core import registry
from terpadu.core.forms import PickerWidget
from terpadu.organisasi.models import Pegawai, UnitKerja


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class UserCreateForm(forms.Form):
    username = forms.SlugField(label=_("Username"), max_length=150)
    pegawai = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Pegawai.objects.none(),
        required=False,
        widget=PickerWidget("pegawai"),
        help_text=_("Link the account to an employee to sign in with the NIP."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to let the user set one through password reset."),
    )

    def __init__(self, *args, pegawai_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pegawai"].queryset = pegawai_queryset if pegawai_queryset is not None else Pegawai.objects.all()


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active", "language"]


class RoleAssignForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    unit = forms.ModelChoiceField(
        label=_("Unit scope"),
        queryset=UnitKerja.objects.current(),
        required=False,
        help_text=_("Empty = the whole pemda. The scope includes every sub-unit."),
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.current()  # today's units, not those at start-up

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


def action_choices():
    return sorted(((code, f"{code} — {label}") for code, label in registry.ACTIONS.items()), key=lambda c: c[0])


class RoleForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label=_("Actions"), choices=action_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Role
        fields = ["code", "name", "module", "description", "actions", "requires_2fa", "auto_assign", "auto_scope"]

    def clean_actions(self):
        # Actions of modules not installed yet have no checkbox; keep them instead of dropping them on save.
        kept = [a for a in (self.instance.actions or []) if a not in registry.ACTIONS]
        return [*self.cleaned_data["actions"], *kept]


class RoleCloneForm(forms.Form):
    code = forms.SlugField(label=_("Code of the copy"), max_length=60)
    name = forms.CharField(label=_("Name of the copy"), max_length=120)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_copy_%s")  # shares the page with RoleForm, whose ids are id_code, id_name
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Role.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A role with this code exists."))
        return code


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name (which system uses it)"), max_length=100)
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=action_choices, widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=90)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("id", "Bahasa Indonesia"), ("en", "English")])
