"""The admin's autocomplete fields with a submitted value that is no id: a form error instead of a 500.

Django's AutocompleteSelect (``autocomplete_fields``) renders the selected options by filtering the related
model with the submitted values as they are: ``organisation=1.5`` raises ValueError while the page with the form's
error ("Select a valid choice") is rendered (the form fuzzer found it on the identity provider form, issue 19 §5;
every admin form with such a field had it). Values the related field cannot take are left out of that filter: they
name no object. Installed once for every admin in NetworksConfig.ready(), as networks.lookups is.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_optgroups = AutocompleteMixin.optgroups


def _takes(field, value) -> bool:
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def _optgroups_of_ids(self, name, value, attr=None):
    target = self.field.target_field  # the related model's field the relation points to (its pk or to_field)
    return _optgroups(self, name, [item for item in value if _takes(target, item)], attr)


def register() -> None:
    if AutocompleteMixin.optgroups is _optgroups:
        AutocompleteMixin.optgroups = _optgroups_of_ids
