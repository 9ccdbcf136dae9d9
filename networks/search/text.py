"""The one normalisation of search text: documents and queries go through the same functions on both backends.

- ``fold``: lower case, ß → ss, accents and umlauts taken off (ä → a), as PostgreSQL's ``unaccent`` does; the
  German Snowball stemmer then gives one stem for "Wärmepläne" and "Wärmeplanung" ("warmeplan").
- Transcribed umlauts in a query ("Waerme", "Hoehe", "Muell") are also tried folded ("warme"): each such word
  becomes two alternatives, so "Waerme" finds "Wärme" and "Steuer" still finds "Steuer".
- Stop words: PostgreSQL's ``german`` list, compared with the folded word on both sides as PostgreSQL does
  (``to_tsvector('german', unaccent(text))``), so the two backends drop the same words.
- PostgreSQL stems with its ``german`` configuration; SQLite (FTS5) stores the stems made here by the Snowball
  stemmer (snowballstemmer, the same algorithm). Only the match and rank SQL differs (networks.search.backends).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200  # characters of a query that are read; the rest is ignored
MAX_TERMS = 8  # words and phrases of one query
PREFIX_MIN_LENGTH = 4  # words at least this long also find longer words (prefix match on the stem)

# PostgreSQL's tsearch_data/german.stop (the Snowball list)
_GERMAN_STOP = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm andern
anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß derselbe derselben
denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines denn
derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer
eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren
ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein
keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein meine
meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem
seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte sondern
sonst über um und uns unse unsem unsen unser unses unter viel vom von vor während war waren warst was weg weil
weiter welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen
wollte würde würden zu zum zur zwar zwischen
"""
STOPWORDS = frozenset(_GERMAN_STOP.split())

_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')
_TRANSCRIBED = re.compile(r"(?<!q)(ae|oe|ue)")
_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower case without accents and with ß as ss (PostgreSQL's unaccent does the same)."""
    if text.isascii():
        return text.lower()
    text = text.lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


PATTERN_CHARS = 6  # of a stem that word_patterns compare (bounds a pattern; the caller checks the whole word)


@lru_cache(maxsize=1)
def _folding_to() -> tuple[dict[str, str], dict[str, str]]:
    """The lower-case characters that fold (``fold``) to one character ("a" from "ä", "á", …) and those that fold to
    several ("ss" from "ß", "fi" from the ligature "ﬁ"), escaped for a character class: Latin, Greek, Cyrillic,
    the ligatures and the full-width forms."""
    single: dict[str, set[str]] = {}
    several: dict[str, set[str]] = {}
    for code in (*range(0x3000), *range(0xFB00, 0xFB07), *range(0xFF00, 0xFFF0)):
        char = chr(code)
        folded = fold(char)
        if folded == char or char != char.lower() or not folded.isalnum():
            continue
        (single if len(folded) == 1 else several).setdefault(folded, set()).add(char)

    def escaped(found):
        return {folded: "".join(re.escape(c) for c in sorted(chars)) for folded, chars in found.items()}

    return escaped(single), escaped(several)


def _stem_pattern(stem_: str, at: int = 0) -> str:
    """A regular expression for the lower-cased original text where a word may begin whose folded form starts with
    the first PATTERN_CHARS characters of ``stem_``: each letter as itself or a character folding to it (also two
    letters as one character: "ss" as "ß"), an "e" after a, o and u (the stemmer reads "ue" as "ü")."""
    stem_ = stem_[:PATTERN_CHARS]
    if at >= len(stem_):
        return ""
    single, several = _folding_to()
    char = stem_[at]
    one = f"[{re.escape(char)}{single.get(char, '')}]" if char in single else re.escape(char)
    options = [one + ("e?" if char in "aou" else "") + _stem_pattern(stem_, at + 1)]
    for folded, chars in several.items():
        if stem_.startswith(folded, at):
            options.append(f"[{chars}]" + _stem_pattern(stem_, at + len(folded)))
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


@lru_cache(maxsize=512)
def word_patterns(stems: frozenset[str]) -> tuple[re.Pattern, ...]:
    """Per stem, where in a lower-cased text a word may begin whose stem is or starts with it (a superset: every
    such word begins at a match, not every match begins such a word; the caller stems the word found there). Lets
    a snippet skip to its first hit in a long text instead of stemming every word before it. One pattern per stem,
    each starting with a character or class, so that the regular expression engine scans for it quickly."""
    return tuple(re.compile(_stem_pattern(s)) for s in sorted(stems) if s)


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words left out."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=100_000)
def word_stem(word: str) -> str:
    """The stem of a word as written in a text (folded first): what marking a title or snippet asks of each word."""
    return stem(fold(word))


def stems(text: str) -> str:
    """The stems of ``text`` separated by spaces: what SQLite's FTS5 table stores for a document."""
    return " ".join(stem(w) for w in words(text))


def alternatives(word: str) -> tuple[str, ...]:
    """A folded query word and, when it holds a transcribed umlaut (ae, oe, ue; not "que"), the word without it."""
    transcribed = _TRANSCRIBED.sub(lambda m: m.group(1)[0], word)
    return (word,) if transcribed == word else (word, transcribed)


@dataclass(frozen=True)
class Term:
    """One word of a query: its folded alternatives; ``prefix``: also longer words starting with its stem."""

    alternatives: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = field(default=())  # folded words in order, stop words included
    text: str = ""  # the query as read (cut to MAX_QUERY_LENGTH)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    def highlight_words(self) -> set[str]:
        """Stems a snippet marks (both backends' Python fallback)."""
        out = {stem(a) for t in self.terms for a in t.alternatives}
        out.update(stem(w) for p in self.phrases for w in p if w not in STOPWORDS)
        return out


def parse(text: str) -> Query:
    """Words (all must match) and "phrases in quotes"; anything else (punctuation, operators, an unbalanced
    quote) is ignored, never an error."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    phrases: list[tuple[str, ...]] = []
    for found in _PHRASE.findall(text):
        phrase = tuple(_WORD.findall(fold(found)))  # with its stop words: PostgreSQL counts their positions
        meaningful = [w for w in phrase if w not in STOPWORDS]
        if len(meaningful) > 1 and phrase not in phrases:
            phrases.append(phrase)
        elif len(meaningful) == 1:  # a quoted single word is a word
            text += " " + meaningful[0]
    rest = _PHRASE.sub(" ", text)
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words(rest):
        if word in seen:
            continue
        seen.add(word)
        terms.append(Term(alternatives=alternatives(word), prefix=len(word) >= PREFIX_MIN_LENGTH))
    budget = MAX_TERMS
    phrases = phrases[:budget]
    terms = terms[: max(budget - len(phrases), 0)]
    return Query(terms=tuple(terms), phrases=tuple(phrases), text=(text or "").strip())
