"""The measure library's sentences about copies (finish17): an offered measure nobody copied yet says so, on its
public page and on its editor page, instead of "0 Organisationen haben sie übernommen"."""

from django.urls import reverse
from django.utils import translation

from measures.catalogue import services
from tests.catalogue.test_library import editor, source  # noqa: F401 (fixtures)


def test_an_offered_measure_nobody_copied_says_so(client, personas, source, editor):  # noqa: F811
    services.entry_offer(measure=source, by=editor)
    editor_page = reverse("measures:measure-edit", args=[source.roadmap.slug, source.pk])
    personas.login(client, "editor")
    with translation.override("de"):
        editing = client.get(editor_page).content.decode()
        public = client.get(source.get_absolute_url()).content.decode()
    assert "Noch keine Organisation hat sie übernommen." in editing and "0 Organisationen" not in editing
    assert "noch keine Organisation hat sie übernommen." in public and "0 Organisationen" not in public
