"""Forms of the discussions. They check what a form can check; the services check the rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.channel.models import TITLE_MAX, Category, ThreadFollow
from networks.forms import NetworkScopedForm
from networks.markdown import PROFILES, MarkdownValidator
from networks.models import Network, Topic, WorkingGroup
from networks.services import slugify_de

POST_MAX = PROFILES["discussion"].max_length
BODY_HELP = _(
    "Markdown: **bold**, *italic*, lists, > quotations, [links](https://…). Mention someone with @ and their name "
    "(only people who may read this thread)."
)


def body_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Your post"),
        max_length=POST_MAX,
        validators=[MarkdownValidator("discussion")],
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 8, "data-mentions": "", "data-composer": ""}),
    )


def _add_places(form: forms.Form, network: Network, user=None) -> None:
    """A category and a working group of ``network`` (both optional), placed by the form's ``field_order``; the
    groups ``user`` may read (a closed group only for its members and the coordination)."""
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(network=network), required=False
    )
    groups = WorkingGroup.objects.filter(network=network, is_active=True)
    if user is not None:
        groups = groups.readable_by(user)
    group = forms.ModelChoiceField(label=_("Working group"), queryset=groups, required=False)
    category.empty_label, group.empty_label = _("– no category –"), _("– the whole network –")
    form.fields["category"], form.fields["working_group"] = category, group
    form.order_fields(form.field_order)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = body_field(_("Your question or contribution"))
    field_order = ["title", "category", "working_group", "body"]

    def __init__(self, *args, network: Network, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _add_places(self, network, user)


class ThreadMoveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    field_order = ["title", "category", "working_group"]

    def __init__(self, *args, network: Network, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _add_places(self, network, user)


class ReplyForm(forms.Form):
    body = body_field()
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("It is stored in the network's library; only people who may read the thread can open it."),
    )


class PostEditForm(forms.Form):
    body = body_field(_("Text"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=1000,
        help_text=_("Only the network's coordination reads this."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FollowForm(forms.Form):
    state = forms.ChoiceField(choices=ThreadFollow.State.choices)


class FaqForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=TITLE_MAX)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.order_by("name"), required=False)


class ThreadFilterForm(forms.Form):
    """The list's filters (unknown values are ignored, never an error)."""

    kategorie = forms.SlugField(required=False)
    gruppe = forms.IntegerField(required=False, min_value=1)


class CategoryForm(NetworkScopedForm):
    class Meta:
        model = Category
        fields = ["name", "description", "position"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            self.instance.slug = slugify_de(name)[:80] or "kategorie"
            if (
                Category.objects.filter(network=self.instance.network, slug=self.instance.slug)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error("name", _("A category with this name exists already."))
        return cleaned
