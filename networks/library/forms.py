"""Forms of the document library. A place in the library ("location") is one choice: the network's top level,
a working group's top level, or a folder (with its path as label), built from two queries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks import access
from networks.library.models import NAME_MAX, Folder
from networks.library.uploads import MAX_SIZE
from networks.models import Network, WorkingGroup

ROOT = ""


class Place:
    """Where a document or folder lies: a folder, or the top level of the network (group None) or of a group."""

    def __init__(self, *, group: WorkingGroup | None = None, folder: Folder | None = None) -> None:
        self.folder = folder
        self.group = folder.working_group if folder is not None else group

    @property
    def code(self) -> str:
        if self.folder is not None:
            return f"f{self.folder.pk}"
        return f"g{self.group.pk}" if self.group is not None else ROOT


def folder_paths(folders: list[Folder]) -> dict[int, str]:
    """{folder id: "Parent › Child"} for folders of one network, from one list (no further queries)."""
    by_pk = {folder.pk: folder for folder in folders}
    paths: dict[int, str] = {}

    def path(folder: Folder, depth: int = 0) -> str:
        if folder.pk not in paths:
            parent = by_pk.get(folder.parent_id)
            paths[folder.pk] = f"{path(parent, depth + 1)} › {folder.name}" if parent and depth < 20 else folder.name
        return paths[folder.pk]

    for folder in folders:
        path(folder)
    return paths


class PlaceField(forms.ChoiceField):
    """The places of a network's library; ``clean`` gives a Place."""

    def __init__(
        self, *, network: Network, exclude: Folder | None = None, only_group=False, group=None, user=None, **kwargs
    ):
        folders = Folder.objects.filter(network=network).select_related("working_group")
        groups = network.working_groups.filter(is_active=True).order_by("name")
        if user is not None:  # a closed group's places only for those who may read it (networks.access)
            folders, groups = folders.filter(access.in_readable_place(user)), groups.readable_by(user)
        folders, groups = list(folders), list(groups)
        paths = folder_paths(folders)
        self._folders = {f"f{folder.pk}": folder for folder in folders}
        self._groups = {f"g{group.pk}": group for group in groups}
        choices = []
        if not only_group or group is None:
            choices.append((ROOT, _("Network documents (top level)")))
            choices += [(f"f{f.pk}", paths[f.pk]) for f in folders if f.working_group_id is None]
        for each in groups:
            if only_group and (group is None or each.pk != group.pk):
                continue
            label = _("Working group %(name)s") % {"name": each.name}
            choices.append((f"g{each.pk}", label))
            choices += [(f"f{f.pk}", f"{each.name} › {paths[f.pk]}") for f in folders if f.working_group_id == each.pk]
        if exclude is not None:
            hidden = _descendants(exclude, folders)
            choices = [(code, label) for code, label in choices if code not in {f"f{pk}" for pk in hidden}]
        kwargs.setdefault("label", _("Place"))
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self._folders:
            return Place(folder=self._folders[value])
        if value in self._groups:
            return Place(group=self._groups[value])
        return Place()


def _descendants(folder: Folder, folders: list[Folder]) -> set[int]:
    """The folder and everything inside it (a folder cannot move into them)."""
    inside = {folder.pk}
    changed = True
    while changed:
        changed = False
        for each in folders:
            if each.parent_id in inside and each.pk not in inside:
                inside.add(each.pk)
                changed = True
    return inside


def file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, TXT, ZIP or images (PNG, JPEG, WebP); "
            "%(size)d MB at most."
        )
        % {"size": MAX_SIZE // 2**20},
    )


class UploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=NAME_MAX, required=False, help_text=_("Leave empty to use the file name.")
    )

    def __init__(self, *args, network: Network, place: Place, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = file_field()
        self.fields["place"] = PlaceField(network=network, initial=place.code, user=user)
        self.order_fields(["file", "title", "place"])


class VersionForm(forms.Form):
    comment = forms.CharField(
        label=_("What has changed?"),
        max_length=300,
        required=False,
        help_text=_("Optional, shown in the version list."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = file_field()
        self.order_fields(["file", "comment"])


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)

    def __init__(self, *args, network: Network, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"] = PlaceField(network=network, user=user)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)

    def __init__(
        self, *args, network: Network, group: WorkingGroup | None, folder: Folder | None = None, user=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["place"] = PlaceField(
            network=network, exclude=folder, only_group=True, group=group, label=_("Inside"), user=user
        )


class SortForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("name")), ("-updated", _("newest first")), ("updated", _("oldest first"))],
    )

    ORDER = {"name": ("title", "pk"), "-updated": ("-updated_at", "-pk"), "updated": ("updated_at", "pk")}

    def ordering(self) -> tuple[str, ...]:
        value = self.cleaned_data.get("sort") if self.is_valid() else ""
        return self.ORDER.get(value or "name")
