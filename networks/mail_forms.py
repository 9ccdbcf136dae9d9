"""The email settings form: one checkbox per kind of email that can be switched off (networks.mail)."""

from __future__ import annotations

from django import forms

from networks import mail


class MailSettingsForm(forms.Form):
    """Ticked: send me this kind. Every kind is on until the person switches it off."""

    def __init__(self, *args, off: set[str], kinds: list[mail.MailKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.code for kind in kinds}
        for kind in kinds:
            if not kind.switchable:
                continue
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label, help_text=kind.help, required=False, initial=kind.code not in off
            )

    def switched_off(self) -> set[str]:
        return {code for code, on in self.cleaned_data.items() if not on}

    def groups(self) -> list[dict]:
        """The areas in order, each with its bound checkboxes and the kinds that are always sent."""
        out = []
        for area, kinds in mail.areas():
            fields = [self[k.code] for k in kinds if k.switchable and k.code in self.kinds]
            always = [k for k in kinds if not k.switchable and k.code in self.kinds]  # audience: e.g. digests
            if fields or always:  # an area the person gets nothing from is left out
                out.append({"area": area, "fields": fields, "always": always})
        return out
