"""German is complete: every string marked for translation in the code and templates has a German
translation, none is fuzzy, and the catalogue in locale/ is the one the sources produce today.

The check extracts the messages afresh (makemessages, in a copy of the sources) and compares them with
locale/de; English is the source language, so its catalogue only has to exist.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["config", "networks", "events", "measures", "monitoring", "templates", "manage.py"]
SOURCES += ["opendata"]  # issue 18 §3
SOURCES += ["api"]  # issue 18 §1
SOURCES += ["observability"]  # issue 19 §4
ENTRY = re.compile(r'^msgid "(.*)"$')


def statistics(po: Path) -> str:
    done = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    )
    return done.stderr.strip()


def msgids(po: Path) -> set[str]:
    """The message ids of a catalogue (first lines are enough to tell them apart; the header is left out)."""
    ids = set()
    for line in po.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match and match.group(1):
            ids.add(match.group(1))
    return ids


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """locale/de/LC_MESSAGES/django.po as makemessages writes it from today's sources."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, copy / name)
    shutil.copytree(ROOT / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete", "--no-location", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_german_translation():
    report = statistics(ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po")
    assert "untranslated" not in report and "fuzzy" not in report, report


def test_the_catalogue_holds_every_string_the_sources_mark(fresh_catalogue):
    """A string marked in a template or in Python but missing from locale/de fails here (run `make messages`)."""
    missing = msgids(fresh_catalogue) - msgids(ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po")
    assert not missing, f"not in locale/de (run make messages and translate): {sorted(missing)[:20]}"
    report = statistics(fresh_catalogue)
    assert "untranslated" not in report and "fuzzy" not in report, report


def test_english_catalogue_exists():
    assert (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").is_file()
