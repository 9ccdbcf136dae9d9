"""The delivery settings: per network the posts mode and where announcements go; the digest's hour and weekday."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.digest.models import DEFAULT_POSTS, PostsMode, Weekday

ANNOUNCEMENTS_CHOICES = [
    ("email", _("by email at once")),
    ("digest", _("only in the digest")),
]
HOUR_CHOICES = [(h, f"{h:02d}:00") for h in range(24)]


class NetworkDeliveryForm(forms.Form):
    """One network's choices (prefix: the network's id, so that many of these share one <form>)."""

    posts = forms.ChoiceField(
        label=_("Discussions (new threads and replies)"),
        choices=PostsMode.choices,
        help_text=_("Mentions of you and replies in threads you follow come at once in any case."),
    )
    announcements = forms.ChoiceField(
        label=_("Announcements of the coordinators"),
        choices=ANNOUNCEMENTS_CHOICES,
        help_text=_("Announcements cannot be switched off entirely; in the digest you find them at the latest."),
    )

    def __init__(self, *args, network, posts: str = DEFAULT_POSTS, by_email: bool = True, **kwargs):
        kwargs.setdefault("initial", {"posts": posts, "announcements": "email" if by_email else "digest"})
        super().__init__(*args, prefix=f"n{network.pk}", **kwargs)
        self.network = network

    @property
    def by_email(self) -> bool:
        return self.cleaned_data["announcements"] == "email"


class DigestTimeForm(forms.Form):
    hour = forms.TypedChoiceField(
        label=_("Time of the digest"),
        choices=HOUR_CHOICES,
        coerce=int,
        help_text=_("German time. The digest comes only when there is something new."),
    )
    weekday = forms.TypedChoiceField(label=_("Day of the weekly digest"), choices=Weekday.choices, coerce=int)
