"""Pages of the document library (issue 15 §5): thin views, access → form or service → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from networks.access import in_readable_place
from networks.downloads import INLINE_TYPES, serve_stored_file
from networks.library import access, selectors, services, sources
from networks.library.forms import DocumentEditForm, FolderForm, Place, SortForm, UploadForm, VersionForm
from networks.library.models import DocumentVersion, Folder
from networks.models import Network, WorkingGroup
from networks.pages import network_context, page_of, person_of


def _library_url(network: Network, place: Place) -> str:
    if place.folder is not None:
        return place.folder.get_absolute_url()
    if place.group is not None:
        return reverse("library:group-library", args=[network.slug, place.group.pk])
    return reverse("library:library", args=[network.slug])


def _place_page(request, network: Network, *, group: WorkingGroup | None = None, folder: Folder | None = None):
    """A place's page: its folders, its documents (sorted, paged), and at the top level the groups and sources."""
    sort = SortForm(request.GET)
    documents = selectors.documents_in(network, group, folder, sort.ordering())
    context = network_context(
        request,
        network,
        group=group,
        folder=folder,
        place=Place(group=group, folder=folder),
        sort=sort,
        folders=list(selectors.folders_in(network, group, folder)),
        page=page_of(request, documents),
        ancestors=selectors.ancestors(folder) if folder is not None else [],
        can_change_folder=folder is not None and access.can_change(request.user, network, folder.created_by),
    )
    if group is None and folder is None:
        context["groups"] = list(selectors.group_spaces(network).readable_by(request.user))
        context["sources"] = [
            {"source": source, "label": source.label(), "count": source.count(request.user, network)}
            for source in sources.all_sources()
        ]
    return render(request, "library/library.html", context)


@login_required
@require_safe
def library(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_library(request.user, slug)
    return _place_page(request, network)


@login_required
@require_safe
def group_library(request: HttpRequest, slug: str, group: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    return _place_page(request, network, group=access.access_group(request.user, network, group))


@login_required
@require_safe
def folder_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    folder = access.access_folder(request.user, network, pk)
    return _place_page(request, network, group=folder.working_group, folder=folder)


@login_required
@require_safe
def source_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A virtual folder of another app's documents (the events'), read-only here."""
    network = access.access_library(request.user, slug)
    source = sources.get(key)
    if source is None:
        raise Http404
    page = page_of(request, source.groups(request.user, network))
    groups = source.attach(list(page.object_list))
    context = network_context(request, network, source=source, label=source.label(), page=page, groups=groups)
    return render(request, "library/source.html", context)


def _place_from_query(request, network: Network) -> Place:
    """The place an upload or new folder starts in (?ordner= or ?gruppe=); the top level when unknown."""
    value = request.GET.get("ordner", "")
    if value.isdigit():
        folders = Folder.objects.filter(in_readable_place(request.user), network=network, pk=value)
        folder = folders.select_related("working_group").first()
        if folder is not None:
            return Place(folder=folder)
    value = request.GET.get("gruppe", "")
    if value.isdigit():
        return Place(group=network.working_groups.readable_by(request.user).filter(pk=value).first())
    return Place()


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_library(request.user, slug)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        network=network,
        place=_place_from_query(request, network),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        place, upload = form.cleaned_data["place"], form.cleaned_data["file"]
        try:
            document = services.document_store(
                network=network,
                working_group=place.group,
                folder=place.folder,
                uploaded_by=person_of(request),
                name=upload.name,
                content=upload,
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("“%(title)s” has been uploaded.") % {"title": document.title})
            return redirect(document.get_detail_url())
    context = network_context(request, network, form=form, heading=_("Upload a document"), submit=_("Upload"))
    return render(request, "library/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk)
    versions = document.versions.select_related("uploaded_by").order_by("-number")
    context = network_context(
        request,
        network,
        document=document,
        versions=versions,
        ancestors=(selectors.ancestors(document.folder) + [{"pk": document.folder_id, "name": document.folder.name}])
        if document.folder
        else [],
        can_change=access.can_change(request.user, network, document.created_by),
    )
    return render(request, "library/document.html", context)


def _download(version: DocumentVersion) -> HttpResponse:
    return serve_stored_file(
        version.file,
        filename=version.original_name,
        content_type=version.content_type,
        inline=version.content_type in INLINE_TYPES,
    )


@login_required
@require_safe
def document_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk)
    if document.current is None:
        raise Http404
    return _download(document.current)


@login_required
@require_safe
def version_download(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return _download(version)


@login_required
@require_http_methods(["GET", "POST"])
def version_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk, write=True)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.document_version_add(
                document=document,
                uploaded_by=person_of(request),
                name=upload.name,
                content=upload,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("Version %(number)d has been uploaded.") % {"number": version.number})
            return redirect(document.get_detail_url())
    context = network_context(
        request, network, form=form, document=document, heading=_("Upload a new version"), submit=_("Upload")
    )
    return render(request, "library/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk, write=True)
    initial = {"title": document.title, "place": Place(group=document.working_group, folder=document.folder).code}
    form = DocumentEditForm(request.POST or None, initial=initial, network=network, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=document,
                title=form.cleaned_data["title"],
                folder=form.cleaned_data["place"].folder,
                working_group=form.cleaned_data["place"].group,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The document has been saved."))
            return redirect(document.get_detail_url())
    context = network_context(request, network, form=form, document=document, heading=_("Rename or move"))
    return render(request, "library/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    document = access.access_document(request.user, network, pk, write=True)
    if request.method == "POST":
        services.document_delete(document=document, by=person_of(request))
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": document.title})
        return redirect(_library_url(network, Place(group=document.working_group, folder=document.folder)))
    note = _("It disappears from the library for everyone. The operator can restore it within 30 days.")
    context = network_context(request, network, subject=document.title, back=document.get_detail_url(), note=note)
    return render(request, "library/confirm_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def folder_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_library(request.user, slug)
    start = _place_from_query(request, network)
    form = FolderForm(
        request.POST or None, initial={"place": start.code}, network=network, group=start.group, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        place = form.cleaned_data["place"]
        try:
            folder = services.folder_create(
                network=network,
                name=form.cleaned_data["name"],
                created_by=person_of(request),
                parent=place.folder,
                working_group=place.group,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The folder “%(name)s” has been created.") % {"name": folder.name})
            return redirect(folder.get_absolute_url())
    context = network_context(request, network, form=form, heading=_("New folder"), submit=_("Create folder"))
    return render(request, "library/form.html", context, status=400 if request.method == "POST" else 200)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def folder_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    folder = access.access_folder(request.user, network, pk, write=True)
    parent = Place(group=folder.working_group, folder=folder.parent)
    form = FolderForm(
        request.POST or None,
        initial={"name": folder.name, "place": parent.code},
        network=network,
        group=folder.working_group,
        folder=folder,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.folder_update(
                folder=folder, name=form.cleaned_data["name"], parent=form.cleaned_data["place"].folder
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The folder has been saved."))
            return redirect(folder.get_absolute_url())
    context = network_context(request, network, form=form, folder=folder, heading=_("Rename or move the folder"))
    return render(request, "library/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def folder_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access.access_library(request.user, slug)
    folder = access.access_folder(request.user, network, pk, write=True)
    back = _library_url(network, Place(group=folder.working_group, folder=folder.parent))
    if request.method == "POST":
        try:
            services.folder_delete(folder=folder)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(folder.get_absolute_url())
        messages.success(request, _("The folder “%(name)s” has been deleted.") % {"name": folder.name})
        return redirect(back)
    note = _("Only an empty folder can be deleted.")
    context = network_context(request, network, subject=folder.name, back=folder.get_absolute_url(), note=note)
    return render(request, "library/confirm_delete.html", context)
