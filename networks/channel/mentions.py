"""@mentions: ``@`` and a person's name in a post, resolved against the people who may read the thread only.

A name is matched as a whole (``@Katrin Lang``, case does not matter, the longest name wins: ``@Anna Maria Roth``
is not ``@Anna Maria``); a mention inside code or a quotation ("> ") does not count (quoting someone's post must
not notify the people it mentioned again); an ``@`` inside a word (an email address) is no mention. Who is not
among the readers is never resolved: a person of another network cannot be mentioned, whatever is typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_AT = re.compile(r"(?<![\w@.])@(?=\w)")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_QUOTE = re.compile(r"^\s{0,3}>.*$", re.MULTILINE)
_FIRST = re.compile(r"[^\s,;:!?()\[\]\"'<>]+")
MAX_NAME = 150


def mentionable_text(body: str) -> str:
    """The parts of ``body`` where a mention counts (no code, no quotations)."""
    return _QUOTE.sub("", _CODE.sub(" ", body or ""))


def has_mention(body: str) -> bool:
    """Whether ``body`` has an "@" that may start a mention (not in code, a quotation or an email address)."""
    return _AT.search(mentionable_text(body)) is not None


def _index(people: Iterable) -> dict[str, list[tuple[str, object]]]:
    """{first word of the name (folded): [(whole name folded, person)], longest first}."""
    index: dict[str, list[tuple[str, object]]] = {}
    for person in people:
        name = " ".join(person.name.split()).casefold()
        if name:
            index.setdefault(name.split(" ")[0], []).append((name, person))
    for names in index.values():
        names.sort(key=lambda pair: -len(pair[0]))
    return index


def resolve(body: str, readers: Iterable) -> list:
    """The readers mentioned in ``body``, in the order of their first mention, each once."""
    text = mentionable_text(body)
    if "@" not in text:
        return []
    index = _index(readers)
    found: dict[int, object] = {}
    for at in _AT.finditer(text):
        rest = text[at.end() : at.end() + MAX_NAME + 1].casefold()
        first = _FIRST.match(rest)
        if first is None:
            continue
        for name, person in _candidates(index, first.group(0)):
            end = len(name)
            if rest.startswith(name) and (end == len(rest) or not (rest[end].isalnum() or rest[end] in "_-")):
                found.setdefault(person.pk, person)
                break
    return list(found.values())


def _candidates(index, word: str):
    """The names starting with ``word`` (or with ``word`` less trailing punctuation, "@Katrin," for "Katrin")."""
    seen = []
    for key in dict.fromkeys((word, word.rstrip(".-"))):
        seen.extend(index.get(key, ()))
    return sorted(seen, key=lambda pair: -len(pair[0]))
