"""Models of networks.search (app label ``search``): the one search index.

One row per indexed object (kind, object_id). ``scopes`` holds who may see it (networks/search/scopes.py),
separated by spaces; a query keeps only rows whose scopes meet the viewer's. The full-text part is per backend
and not in the model (migration 0001): PostgreSQL a generated ``document`` tsvector (german configuration over
unaccent(title) weighted A and unaccent(body) weighted B) with one GIN index over the document and the scopes;
SQLite an FTS5 table ``search_fts`` (stems of title and body, scope tokens) kept in sync by networks.search.index.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_BODY = 200_000  # characters of a document's text that are indexed
MAX_TITLE = 300


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.BigIntegerField(_("object"))
    network_id = models.BigIntegerField(_("network"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    scopes = models.TextField(_("visible to"))
    date = models.DateTimeField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="de")
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_per_object")]
        # The newest-first index over (date DESC NULLS LAST, id DESC) is per backend (migration 0002).
        indexes = [models.Index(fields=["kind", "indexed_at"], name="search_entry_kind_indexed")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
