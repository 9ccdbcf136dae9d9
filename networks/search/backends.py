"""The two full-text backends of the search index: only the match, rank and snippet SQL differ.

Both get the same parsed query (networks.search.text.parse) and the viewer's scopes and answer in ONE query:
the candidates (the newest ``CAP`` visible hits, found through the full-text index), the counts per (kind,
network) over them (facets), their number with the chosen filters (paging), and one page of them ordered by
relevance (only then ranked) or date, with a highlighted title and snippet. Bounding the candidates keeps a search
flat however many items match: a word in every tenth of a million documents costs what a rare one does. When more
than ``CAP`` items match, the page says so and ranks the newest ``CAP`` (a narrower query or a filter finds older
ones).

- PostgreSQL: ``to_tsquery('german', …)`` over the generated ``document`` column (german configuration over
  unaccent), the scopes as ``string_to_array(scopes, ' ') && ARRAY[…]``: both in one GIN index (migration 0001);
  the planner takes either that index or the (date, id) index walked newest first (migration 0002), whichever
  its statistics say is cheaper; ``ts_rank`` orders.
- SQLite (``make run``): an FTS5 table of the stems made in networks.search.text, the scopes as tokens of its own
  column, ``bm25`` orders.

Titles and snippets are marked in Python for the page's rows only, the same on both backends (``mark_words``): the
FTS5 table holds stems, so its snippet() would show stems; PostgreSQL's ts_headline parsed and stemmed the whole
text of every row shown, most of a rare word's search.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.utils.dateparse import parse_datetime

from networks.search import text as search_text
from networks.search.selectors import ALL

START, STOP = "\ue000", "\ue001"  # hit markers (private-use characters, removed from indexed text)
PAGE_SIZE = 20
# Candidates ranked, counted and paged (5 pages of 20). A search's cost grows with it: a common word is read
# until CAP visible hits are found, each is ranked; 200 cost 14 % more CPU in PostgreSQL than 100 (bench).
CAP = 100
SNIPPET_WORDS = 30
HEADLINE_CHARS = 60_000  # of a body that the snippet reads
PREFIX_LEXEMES = 4  # a prefix standing for more lexemes is left to the GIN index (more would mislead the planner)


@dataclass(frozen=True)
class Filters:
    scopes: frozenset[str]  # the viewer's (selectors.viewer_scopes); {"*"}: everything
    kind: str | None = None
    network_id: int | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.kind or self.network_id)


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    object_id: int
    network_id: int | None
    title: str
    url: str
    date: object
    title_html: str  # escaped, the hits in <mark> (marked_to_html)
    snippet_html: str


@dataclass(frozen=True)
class Answer:
    facets: list[tuple[str, int | None, int]]  # (kind, network id, count) over the candidates
    total: int  # candidates with the filters (at most CAP)
    rows: list[Row]
    networks: dict = field(default_factory=dict)  # network id -> selectors.NetworkName (networks.search.answers)


def marked_to_html(marked: str) -> str:
    """Escape everything, then turn the markers into <mark> (balanced: a stray marker is dropped)."""
    out, open_ = [], False
    for part in re.split(f"([{START}{STOP}])", marked):
        if part == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(part))
    if open_:
        out.append("</mark>")
    return "".join(out)


def clean_text(value: str) -> str:
    """Indexed text without the marker characters and NUL (PostgreSQL refuses NUL in text)."""
    return value.replace(START, "").replace(STOP, "").replace("\x00", "")


def scope_token(scope: str) -> str:
    """A scope as one FTS5 token: "members:3" -> "members3", "signed_in" -> "signedin"."""
    return re.sub(r"[^a-z0-9]", "", scope.lower())


def _facets(value) -> list[tuple[str, int | None, int]]:
    rows = json.loads(value) if isinstance(value, str) else (value or [])
    return [(kind, network, int(n)) for kind, network, n in rows]


class Backend:
    vendor = ""

    def sync(self, rows: list[tuple[int, str, str, str]]) -> None:
        """After entries were written: (entry id, title, body, scopes) for the backend's own structures."""

    def forget(self, entry_ids: list[int]) -> None:
        """Before entries are deleted."""

    def run(self, query, filters: Filters, *, order: str, offset: int, limit: int = PAGE_SIZE) -> Answer:
        raise NotImplementedError


class PostgresBackend(Backend):
    vendor = "postgresql"

    @staticmethod
    def _tsquery(query, lexemes: dict[str, list[str]] | None = None) -> tuple[str, list]:
        """SQL of the tsquery and its parameters: words as (alternative:* | …) joined by &, phrases by <->.

        ``lexemes``: for a prefix word, the lexemes of the index it stands for (``_lexemes``); a term whose every
        alternative has them is written as those lexemes, already normalised (::tsquery, no dictionary again)."""
        parts, params, words = [], [], []
        for term in query.terms:
            found = [lexemes.get(a) for a in term.alternatives] if term.prefix and lexemes else [None]
            if all(found):
                expanded = sorted({lexeme for some in found for lexeme in some})
                parts.append("%s::tsquery")
                params.append("(" + " | ".join(_quoted(lexeme) for lexeme in expanded) + ")")
                continue
            suffix = ":*" if term.prefix else ""
            words.append("(" + " | ".join(f"'{a}'{suffix}" for a in term.alternatives) + ")")
        if words:
            parts.insert(0, "to_tsquery('german'::regconfig, %s)")
            params.insert(0, " & ".join(words))
        for phrase in query.phrases:
            parts.append("phraseto_tsquery('german'::regconfig, %s)")
            params.append(" ".join(phrase))
        return " && ".join(parts), params

    @staticmethod
    def _lexemes(query) -> dict[str, list[str]]:
        """For each prefix word of ``query`` (each alternative), the lexemes of the index that start with its own
        lexeme, when there are at most PREFIX_LEXEMES (migration 0003's lexicon): the same items as the prefix,
        found without the GIN index's bitmap of every item of every such lexeme. One statement, only when the query
        has more than one part (a word alone: its bitmap is small when the GIN index is taken, a common word's search
        walks the newest items instead)."""
        words = sorted({a for term in query.terms if term.prefix for a in term.alternatives})
        if not words or len(query.terms) + len(query.phrases) < 2:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.word, s.lexemes, array(SELECT l.word FROM search_lexeme l WHERE l.word >= s.lexemes[1] "
                "AND l.word < s.lexemes[1] || chr(1114111) AND starts_with(l.word, s.lexemes[1]) "
                "ORDER BY l.word LIMIT %s) "
                "FROM unnest(%s::text[]) AS a(word) CROSS JOIN LATERAL "
                "(SELECT tsvector_to_array(to_tsvector('german'::regconfig, a.word)) AS lexemes) s",
                [PREFIX_LEXEMES + 1, words],
            )
            rows = cursor.fetchall()
        return {
            word: found
            for word, own, found in rows
            if own is not None and len(own) == 1 and 0 < len(found) <= PREFIX_LEXEMES
        }

    @staticmethod
    def _where(filters: Filters, tsquery: str, tsquery_params: list) -> tuple[str, list]:
        """The match and the scopes. The tsquery is written out (not read from a CTE) so that the planner sees its
        words and estimates how many rows match: for a common word it walks the newest-first index and stops after
        CAP hits; for a rare one it takes the GIN index."""
        sql, params = [f"e.document @@ ({tsquery})"], list(tsquery_params)
        if ALL not in filters.scopes:
            sql.append("string_to_array(e.scopes, ' ') && %s::text[]")
            params.append(sorted(filters.scopes))
        return " AND ".join(sql), params

    @staticmethod
    def _narrow(filters: Filters) -> tuple[str, list]:
        sql, params = "", []
        if filters.kind:
            sql += " AND e.kind = %s"
            params.append(filters.kind)
        if filters.network_id:
            sql += " AND e.network_id = %s"
            params.append(filters.network_id)
        return sql, params

    def run(self, query, filters: Filters, *, order: str, offset: int, limit: int = PAGE_SIZE) -> Answer:
        tsquery, params = self._tsquery(query)  # ranks: the query as typed
        matched, matched_params = self._tsquery(query, self._lexemes(query))  # finds the same items
        where, where_params = self._where(filters, matched, matched_params)
        narrow, narrow_params = self._narrow(filters)
        if order == "date":  # no rank needed: ts_rank reads every candidate's whole tsvector
            rank, ordering = "0::real", "p.date DESC NULLS LAST, p.id DESC"
        else:
            rank, ordering = "ts_rank(e.document, q.query)", "p.rank DESC, p.date DESC NULLS LAST, p.id DESC"
        candidates = (
            f"SELECT e.id, e.kind, e.network_id, e.date, {rank} AS rank "  # noqa: S608 # nosec B608
            "FROM search_searchentry e, q WHERE {where} ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT %s"
        )
        sql_params = [*params, *where_params, CAP]
        ctes = [
            f"q AS (SELECT {tsquery} AS query)",
            "c AS MATERIALIZED (" + candidates.format(where=where) + ")",
            "f AS (SELECT coalesce(json_agg(json_build_array(kind, network_id, n)), '[]'::json) AS facets "
            "FROM (SELECT kind, network_id, count(*) AS n FROM c GROUP BY kind, network_id) x)",
        ]
        page_of = "c"
        if filters.narrowed:  # the page's own candidates: the filter may reach older items than c holds
            ctes.append("n AS MATERIALIZED (" + candidates.format(where=where + narrow) + ")")
            sql_params += [*where_params, *narrow_params, CAP]
            page_of = "n"
        ctes.append(f"t AS (SELECT count(*) AS total FROM {page_of})")  # noqa: S608 # nosec B608
        ctes.append(f"p AS (SELECT * FROM {page_of} p ORDER BY {ordering} LIMIT %s OFFSET %s)")  # noqa: S608 # nosec
        sql_params += [limit, offset]
        sql = (
            "WITH "  # noqa: S608 # nosec B608 (fixed fragments; every value is a parameter)
            + ", ".join(ctes)
            + " SELECT f.facets, t.total, p.id, p.kind, e.object_id, p.network_id, e.title, e.url, p.date, "  # noqa: S608 # nosec B608
            "left(e.body, %s) "
            "FROM f CROSS JOIN t LEFT JOIN (p JOIN search_searchentry e ON e.id = p.id) ON true "
            f"ORDER BY {ordering}"
        )
        sql_params += [HEADLINE_CHARS]
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            fetched = cursor.fetchall()
        facets, total = _facets(fetched[0][0]), int(fetched[0][1])
        return Answer(facets=facets, total=total, rows=_rows(fetched, query))


class SqliteBackend(Backend):
    vendor = "sqlite"

    def sync(self, rows):
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, scopes) VALUES (%s, %s, %s, %s)",
                [
                    (
                        entry_id,
                        search_text.stems(title),
                        search_text.stems(body),
                        " ".join(scope_token(s) for s in scopes.split()),
                    )
                    for entry_id, title, body, scopes in rows
                ],
            )

    def forget(self, entry_ids):
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in entry_ids])

    @staticmethod
    def _match(query, filters: Filters) -> str:
        """The FTS5 MATCH expression: every token double-quoted (nothing the user typed is FTS5 syntax)."""
        parts = []
        for term in query.terms:
            star = "*" if term.prefix else ""
            alts = sorted({search_text.stem(a) for a in term.alternatives})
            parts.append("(" + " OR ".join(f'"{a}"{star}' for a in alts) + ")")
        for phrase in query.phrases:
            words = (search_text.stem(w) for w in phrase if w not in search_text.STOPWORDS)  # as the FTS5 table
            parts.append('"' + " ".join(words) + '"')
        match = "{title body} : (" + " AND ".join(parts) + ")"
        if ALL not in filters.scopes:
            tokens = sorted({scope_token(s) for s in filters.scopes})
            match += " AND scopes : (" + " OR ".join(f'"{t}"' for t in tokens) + ")"
        return match

    def run(self, query, filters: Filters, *, order: str, offset: int, limit: int = PAGE_SIZE) -> Answer:
        match = self._match(query, filters)
        candidates = (
            "SELECT e.id, e.kind, e.network_id, e.date, bm25(search_fts, 10.0, 1.0, 0.0) AS rank "  # noqa: S608 # nosec B608
            "FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH %s{narrow} ORDER BY e.date IS NULL, e.date DESC, e.id DESC LIMIT %s"
        )
        if order == "date":
            ordering = "p.date IS NULL, p.date DESC, p.id DESC"
        else:
            ordering = "p.rank, p.date IS NULL, p.date DESC, p.id DESC"
        params: list = [match, CAP]
        ctes = [
            "c AS (" + candidates.format(narrow="") + ")",
            "f AS (SELECT json_group_array(json_array(kind, network_id, n)) AS facets "
            "FROM (SELECT kind, network_id, count(*) AS n FROM c GROUP BY kind, network_id))",
        ]
        page_of = "c"
        if filters.narrowed:
            narrow, narrow_params = PostgresBackend._narrow(filters)
            ctes.append("n AS (" + candidates.format(narrow=narrow) + ")")
            params += [match, *narrow_params, CAP]
            page_of = "n"
        ctes.append(f"t AS (SELECT count(*) AS total FROM {page_of})")  # noqa: S608 # nosec B608
        ctes.append(f"p AS (SELECT * FROM {page_of} p ORDER BY {ordering} LIMIT %s OFFSET %s)")  # noqa: S608 # nosec
        params += [limit, offset, HEADLINE_CHARS]
        sql = (
            "WITH "  # noqa: S608 # nosec B608 (fixed fragments; every value is a parameter)
            + ", ".join(ctes)
            + " SELECT f.facets, t.total, p.id, p.kind, e.object_id, p.network_id, e.title, e.url, p.date, "  # noqa: S608 # nosec B608
            "substr(e.body, 1, %s) FROM f CROSS JOIN t LEFT JOIN (p JOIN search_searchentry e ON e.id = p.id) ON 1 "
            f"ORDER BY {ordering}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        facets, total = _facets(fetched[0][0]), int(fetched[0][1])
        return Answer(facets=facets, total=total, rows=_rows(fetched, query))


def _quoted(lexeme: str) -> str:
    """A lexeme as an operand of tsquery text."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _rows(fetched, query) -> list[Row]:
    """The page's rows of either backend's statement (facets, total, id, kind, object id, network id, title, address,
    date, the start of the body), their title and snippet marked here as HTML (the snippet only for the rows
    shown; kept so in the cached answer, networks.search.answers)."""
    stems = query.highlight_words()
    rows = []
    for _, _, entry_id, kind, object_id, network_id, title, url, date, body in fetched:
        if entry_id is None:
            continue
        date = parse_datetime(date) if isinstance(date, str) else date  # raw SQL on SQLite: the stored text
        title_html = marked_to_html(mark_words(title, stems, whole=True) or title)
        snippet_html = marked_to_html(mark_words(body, stems) or "")
        rows.append(Row(entry_id, kind, object_id, network_id, title, url, date, title_html, snippet_html))
    return rows


_WORD = re.compile(r"[^\W_]+")


SNIPPET_BEFORE, SNIPPET_AFTER = 300, 600  # characters around the first hit that the snippet's words come from


def mark_words(value: str, stems: set[str], *, whole: bool = False, words: int = SNIPPET_WORDS) -> str:
    """``value`` (or, unless ``whole``, a window of about ``words`` words around its first hit) with the words
    whose stem is or starts with a query stem between START and STOP markers.

    The hits are looked for with patterns of the stems (networks.search.text.word_patterns), and only the words
    found there are stemmed: a long document costs a regular expression's scan, then only the words around its
    first hit are read (both backends: the snippet is made here; ts_headline parsed and stemmed the whole text)."""

    prefixes = tuple(s for s in stems if len(s) >= 3)
    seen: dict[str, bool] = {}

    def hit(word: str) -> bool:
        if word not in seen:
            stemmed = search_text.word_stem(word)
            seen[word] = stemmed in stems or stemmed.startswith(prefixes)
        return seen[word]

    if not unicodedata.is_normalized("NFC", value):  # decomposed accents: the patterns read composed ones
        value = unicodedata.normalize("NFC", value)
    frozen, lowered = frozenset(stems), _lowered(value)
    if whole:  # a title: all of it, its punctuation included
        return _marked(value, lowered, 0, len(value), frozen, hit)
    position = _first_hit(value, lowered, frozen, hit)
    low = max((position or 0) - SNIPPET_BEFORE, 0)
    high = min((position or 0) + SNIPPET_AFTER, len(value))
    matches = list(_WORD.finditer(value, low, high))
    if matches and low > 0 and _WORD.match(value, low - 1):  # a word cut at the start of the window
        matches.pop(0)
    if matches and high < len(value) and matches[-1].end() == high and _WORD.match(value, high):  # cut at its end
        matches.pop()
    if not matches:
        return value[:300]
    first = next((i for i, m in enumerate(matches) if m.start() == position), 0) if position is not None else 0
    start = max(first - words // 3, 0)
    end = min(start + words, len(matches))
    text = " ".join(_marked(value, lowered, matches[start].start(), matches[end - 1].end(), frozen, hit).split())
    before = start > 0 or _WORD.search(value, 0, matches[start].start()) is not None
    after = end < len(matches) or _WORD.search(value, matches[end - 1].end()) is not None
    return ("… " if before else "") + text + (" …" if after else "")


def _lowered(value: str) -> str:
    """``value`` in lower case, character for character (the patterns' positions are the text's)."""
    lowered = value.lower()
    if len(lowered) != len(value):  # a character whose lower case is longer (İ)
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in value)
    return lowered


def _hits(value: str, lowered: str, low: int, high: int, patterns, hit):
    """The (start, end) of each word within ``value[low:high]`` that ``hit``, found through ``patterns``."""
    for pattern in patterns:
        for found in pattern.finditer(lowered, low, high):
            at = found.start()
            if at and _WORD.match(value, at - 1):
                continue  # inside a word
            word = _WORD.match(value, at, high)
            if word is not None and hit(word.group()):
                yield at, word.end()


def _first_hit(value: str, lowered: str, stems: frozenset[str], hit) -> int | None:
    """Where the first word of ``value`` that ``hit`` begins, or None."""
    first = None
    for pattern in search_text.word_patterns(stems):
        for at, _end in _hits(value, lowered, 0, len(value) if first is None else first, (pattern,), hit):
            first = at
            break
    return first


def _marked(value: str, lowered: str, low: int, high: int, stems: frozenset[str], hit) -> str:
    """``value[low:high]`` with START and STOP around its hits."""
    pieces, pos = [], low
    for at, end in sorted(set(_hits(value, lowered, low, high, search_text.word_patterns(stems), hit))):
        if at < pos:
            continue
        pieces += [value[pos:at], START, value[at:end], STOP]
        pos = end
    pieces.append(value[pos:high])
    return "".join(pieces)


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
