from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.tte import services

KEY_TYPE_CHOICES = [
    ("ec", _("EC P-256 (recommended: fast)")),
    ("rsa", _("RSA 3072 (widest compatibility, slower)")),
]


class EnrolForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Protects your signing key. It is not stored anywhere: if you forget it, enrol again."),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    key_type = forms.ChoiceField(label=_("Key type"), choices=KEY_TYPE_CHOICES, initial="ec")

    def clean_passphrase(self):
        passphrase = self.cleaned_data["passphrase"]
        if len(passphrase) < services.passphrase_min_length():
            raise forms.ValidationError(_("Use at least %(n)d characters.") % {"n": services.passphrase_min_length()})
        return passphrase

    def clean(self):
        data = super().clean()
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases differ."))
        return data


class RenewForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase of this certificate"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class Pkcs12Form(forms.Form):
    file = forms.FileField(label=_("PKCS#12 file (.p12 / .pfx)"))
    password = forms.CharField(
        label=_("Password of the file"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Checked now and not stored; you type it again each time you sign."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.PKCS12_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a PKCS#12 certificate."))
        return upload


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
