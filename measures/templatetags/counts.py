"""The one rule for numbers and grammar on the overview cards of roadmaps (issue 16 §5), stated once here:

- A count alone names its noun in the number's form: "1 Maßnahme", "26 Maßnahmen" (``measure_count``).
- "X of Y": the noun agrees with Y (the measures counted), the verb with X (those in the state):
  "1 von 5 Maßnahmen ist abgeschlossen", "3 von 25 Maßnahmen sind abgeschlossen", "0 von 1 Maßnahme ist
  abgeschlossen" (``completed_of``); so the text is chosen by both numbers, each through ngettext.
- A progress sentence lists the parts in the same way, each part agreeing with its own number
  (``progress_sentence``: "1 von 3 Maßnahmen ist abgeschlossen, 1 ist in Umsetzung, 1 hat noch nicht begonnen.").

Every card and summary of measures uses these tags (public_roadmap_cards, public_progress, roadmap_detail).
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def measure_count(count: int) -> str:
    return ngettext("%(count)s measure", "%(count)s measures", count) % {"count": count}


@register.simple_tag
def completed_of(completed: int, counted: int) -> str:
    values = {"completed": completed, "counted": counted}
    if counted == 1:
        return (
            ngettext(
                "%(completed)s of %(counted)s measure is completed",
                "%(completed)s of %(counted)s measure is completed",  # the noun and the verb agree with the one measure
                completed,
            )
            % values
        )
    return (
        ngettext(
            "%(completed)s of %(counted)s measures is completed",
            "%(completed)s of %(counted)s measures are completed",
            completed,
        )
        % values
    )


@register.simple_tag
def progress_sentence(progress) -> str:
    """The whole progress of a roadmap or sector in one sentence (the dropped measures are said apart)."""
    parts = [completed_of(progress.completed, progress.counted)]
    parts.append(
        ngettext("%(count)s is in progress", "%(count)s are in progress", progress.in_progress)
        % {"count": progress.in_progress}
    )
    parts.append(
        ngettext("%(count)s has not started yet", "%(count)s have not started yet", progress.not_started)
        % {"count": progress.not_started}
    )
    sentence = gettext("%(completed)s, %(in_progress)s and %(not_started)s.")
    return sentence % {"completed": parts[0], "in_progress": parts[1], "not_started": parts[2]}
