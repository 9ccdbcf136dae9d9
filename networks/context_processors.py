from functools import partial

from django.conf import settings

from networks.staff import has_staff_powers


def portal(request) -> dict:
    """``staff_powers``: the one rule of networks.staff (a staff session that has not used its second factor has
    none), asked only where a template looks at it."""
    user = getattr(request, "user", None)
    staff_powers = partial(has_staff_powers, user) if user is not None else False
    return {"SITE_NAME": "Klimanetz", "DEBUG": settings.DEBUG, "staff_powers": staff_powers}
