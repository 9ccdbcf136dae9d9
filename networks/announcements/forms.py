"""The compose form of an announcement and the archive's search box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.announcements import audiences
from networks.announcements.models import Announcement
from networks.announcements.services import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from networks.library.models import Document

ACTIONS = ("save", "preview", "test", "send")


def _library_documents(network):
    """The network's library documents: its own and its working groups' (open to every member)."""
    return Document.objects.live().filter(network=network).select_related("current", "working_group")


class AnnouncementForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("To"))
    documents = forms.ModelMultipleChoiceField(
        label=_("Attachments from the library"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At most 10 documents of at most 10 MB together; each email also links to them."),
    )

    class Meta:
        model = Announcement
        fields = ["audience", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["audience"].choices = audiences.choices(network)
        library = _library_documents(network).order_by("title")
        if not library.exists():  # nothing to attach yet: no empty heading
            del self.fields["documents"]
            return
        self.fields["documents"].queryset = library
        self.fields["documents"].label_from_instance = _document_label
        if self.instance.pk:
            self.initial.setdefault("documents", list(self.instance.documents.values_list("pk", flat=True)))

    def clean_audience(self):
        key = self.cleaned_data["audience"]
        if audiences.people(self.instance.network, key) is None:
            raise forms.ValidationError(_("Please choose to whom the announcement goes."))
        return key

    def clean_documents(self):
        documents = list(self.cleaned_data["documents"])
        if len(documents) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(count)s attachments are possible.") % {"count": MAX_ATTACHMENTS})
        size = sum(d.current.size for d in documents if d.current is not None)
        if size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _(
                    "The attachments have %(size)s MB together; at most %(limit)s MB go into an email. Please link "
                    "the larger documents in the text instead."
                )
                % {"size": round(size / 1024 / 1024, 1), "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024}
            )
        return documents


def _document_label(document) -> str:
    where = document.working_group.name if document.working_group_id else ""
    return f"{document.title} ({where})" if where else document.title


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the announcements"), required=False, max_length=200)
