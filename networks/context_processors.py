from functools import partial

from django.conf import settings

from networks.citizens import is_citizen
from networks.staff import has_staff_powers


def portal(request) -> dict:
    """``staff_powers``: the one rule of networks.staff (a staff session that has not used its second factor has
    none); ``is_citizen``: the one rule of networks.citizens (signed in without a role: no members' links). Both
    asked only where a template looks at them."""
    user = getattr(request, "user", None)
    staff_powers = partial(has_staff_powers, user) if user is not None else False
    citizen = partial(is_citizen, user) if user is not None else False
    return {"SITE_NAME": "Klimanetz", "DEBUG": settings.DEBUG, "staff_powers": staff_powers, "is_citizen": citizen}
