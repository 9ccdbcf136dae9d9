from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from networks import access, tabular
from networks.models import (
    AffiliationRequest,
    Campaign,
    Expertise,
    Invitation,
    Network,
    NetworkRole,
    Organisation,
    Person,
    Topic,
    WorkingGroup,
    ags_validator,
)
from networks.numbers import number_formfield


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignupExtraForm(forms.Form):
    """Extra field on allauth's sign-up form: how the person wants to be addressed."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, help_text=_("Shown to other members of your networks.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invitation = _followed_invitation()
        if invitation is not None and not self.is_bound:  # the link's address and name, as the coordination typed
            self.initial.setdefault("email", invitation.email)
            if invitation.name:
                self.initial.setdefault("name", invitation.name)

    def signup(self, request, user) -> None:  # allauth hook; the adapter creates the person
        pass


def _followed_invitation() -> Invitation | None:
    """The open invitation whose link this browser followed before signing up (networks.views.invitation_accept
    keeps its token in the session). allauth builds the sign-up form without the request; its middleware
    (AccountMiddleware) keeps the current one in allauth.core.context."""
    from allauth.core import context

    from networks.adapters import INVITATION_SESSION_KEY

    request = context.request
    token = request.session.get(INVITATION_SESSION_KEY) if request is not None and hasattr(request, "session") else None
    return Invitation.objects.open().filter(token=token).first() if token else None


class ProfileForm(forms.ModelForm):
    """The person's own details. Their organisation is not among them: belonging to one is granted
    (AffiliationForm, networks.affiliations)."""

    class Meta:
        model = Person
        fields = ["name", "job_title", "phone", "contact_visibility", "language"]
        help_texts = {
            "contact_visibility": _(
                "Who may see your email address and phone number in member directories. Only with “everyone” "
                "may you be named publicly with your name and job title as the contact person of a measure."
            ),
            "language": _("Language of the emails the portal sends you."),
        }


class CitizenProfileForm(forms.ModelForm):
    """A citizen's own details (networks.citizens): their name and the language of their emails, without the
    members' fields (organisation, job title, phone, contact visibility, expertise)."""

    class Meta:
        model = Person
        fields = ["name", "language"]
        help_texts = {
            "name": _("Shown with your proposals and comments."),
            "language": _("Language of the emails the portal sends you."),
        }


class AffiliationForm(forms.Form):
    """Ask to belong to an organisation (its editors or the coordination of one of its networks confirm)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Please choose"),
        error_messages={"required": _("Please choose an organisation.")},
        help_text=_("Organisations whose editors or network coordination can confirm that you belong to them."),
    )
    note = AffiliationRequest._meta.get_field("note").formfield(  # its length and help text: the model's
        label=_("Message to the organisation"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AffiliationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("decline", _("Decline"))],
        error_messages={"required": _("Please confirm or decline.")},
    )


class ExpertiseForm(forms.ModelForm):
    class Meta:
        model = Expertise
        fields = ["topic", "level", "note", "visible_everywhere"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        self.fields["visible_everywhere"].help_text = ""  # said once above the rows (profile.html)

    def has_changed(self) -> bool:
        """An extra row without a topic is an unused blank row, whatever its level says."""
        if self.instance.pk is None and not self.data.get(self.add_prefix("topic")):
            return False
        return super().has_changed()


class BaseExpertiseFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or not form.cleaned_data.get("topic"):
                continue
            topic = form.cleaned_data["topic"]
            if topic in seen:
                form.add_error("topic", _("You have listed this topic twice."))
            seen.add(topic)

    def items(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("topic")
        ]


ExpertiseFormSet = forms.modelformset_factory(
    Expertise,
    form=ExpertiseForm,
    formset=BaseExpertiseFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=30,  # a forged TOTAL_FORMS builds (and renders) no more forms than that, not 1,030
)


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        formfield_callback = number_formfield  # numbers by the one German rule
        fields = [
            "name",
            "short_name",
            "kind",
            "region",
            "founded_year",
            "reactivated_on",
            "meeting_format",
            "meeting_rhythm",
            "description",
            "goals",
            "funding_programme",
            "funding_start",
            "funding_end",
            "funding_amount",
            "website",
            "is_public",
            "board_public",
        ]
        widgets = {
            "reactivated_on": DateInput(),
            "funding_start": DateInput(),
            "funding_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }


class MembershipAddForm(forms.Form):
    """An organisation of the portal, or a new one (name, kind, AGS), becomes a member of the network."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("(a new one)")
    )
    new_name = forms.CharField(
        label=_("Name of a new organisation"),
        max_length=200,
        required=False,
        help_text=_("Only when it is not in the list yet, for example: Gemeinde Nettersheim."),
    )
    new_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.MUNICIPALITY,
        required=False,
    )
    new_ags = forms.CharField(
        label=_("Its official municipality key (AGS)"),
        max_length=8,
        required=False,
        validators=[ags_validator],
        help_text=_("Optional; eight digits, for municipalities, cities and counties."),
    )
    since = forms.DateField(label=_("Member since"), widget=DateInput(), required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        current = network.memberships.filter(until__isnull=True).values("organisation")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=current).order_by("name")

    def clean(self):
        data = super().clean()
        new_name = data.get("new_name")  # a CharField strips its value: blank is ""
        if bool(data.get("organisation")) == bool(new_name) and not self.errors:
            raise forms.ValidationError(
                _("Please choose an organisation from the list, or give the name of a new one (not both).")
            )
        if new_name and not data.get("new_kind"):
            self.add_error("new_kind", _("Please choose the kind of the new organisation."))
        return data


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "name", "organisation", "role", "language", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"message": _("Optional; it appears in the invitation email.")}

    def __init__(self, *args, network: Network, **kwargs):
        self.network = network
        super().__init__(*args, **kwargs)
        # only what this network's coordination may grant: joining by the invitation makes it the person's
        self.fields["organisation"].queryset = access.network_organisations(network).order_by("name")
        self.fields["organisation"].empty_label = _("(no organisation)")
        self.fields["organisation"].help_text = _(
            "Optional; a member organisation of the network or its host. The person belongs to it on joining, "
            "unless they belong to one already."
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if NetworkRole.objects.filter(network=self.network, person__user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person already belongs to the network."))
        return email

    def validate_unique(self) -> None:
        """Renewing a pending invitation is allowed; the service handles it."""


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=NetworkRole.Role.choices)


class NetworkScopedForm(forms.ModelForm):
    """A form for an object of one network: its unique constraints include the network field,
    which is not on the form, so check them explicitly instead of failing in the database."""

    def validate_unique(self) -> None:
        exclude = self._get_validation_exclusions() - {"network"}
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)


class WorkingGroupForm(NetworkScopedForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "topic", "description", "is_open", "members", "is_active"]
        widgets = {"members": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["members"].queryset = Person.objects.filter(network_roles__network=network).select_related(
            "organisation"
        )
        self.fields["topic"].queryset = Topic.objects.order_by("name")


class CampaignForm(NetworkScopedForm):
    class Meta:
        model = Campaign
        fields = ["title", "kind", "status", "start", "end", "organisations", "goals", "results"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "organisations": forms.CheckboxSelectMultiple,
            "goals": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["organisations"].queryset = Organisation.objects.filter(
            memberships__network=network, memberships__until__isnull=True
        ).order_by("name")


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("That is not the email address of your account."))
        return value


class MemberImportForm(forms.Form):
    """Step 1 of the member import: the file (read into rows by ``networks.members_io``) and the invitation mail."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, separated by semicolons or commas) or Excel (.xlsx); 1 MB and 500 people at most."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation emails"), choices=settings.LANGUAGES)
    message = forms.CharField(
        label=_("Personal message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; it appears in every invitation email."),
    )

    def clean_file(self):
        from networks import members_io

        upload = self.cleaned_data["file"]
        if upload.size > members_io.MAX_BYTES:
            raise forms.ValidationError(tabular.too_large(members_io.MAX_BYTES))
        try:
            self.rows = members_io.read_rows(upload.name, upload.read())
        except tabular.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class MemberImportConfirmForm(forms.Form):
    """Step 2: the rows of the checked file, signed by the server (``members_io.sign``); checked again on writing."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, network: Network, user, **kwargs):
        self.network, self.user = network, user
        super().__init__(*args, **kwargs)

    def clean_payload(self) -> str:
        from networks import members_io

        payload = self.cleaned_data["payload"]
        try:
            self.batch = members_io.unsign(payload, network=self.network, user=self.user)
        except tabular.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return payload
