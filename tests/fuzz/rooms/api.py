"""Fuzz entries of the profile's API tokens (issue 18 §1; see tests/fuzz/endpoints.py and test_forms_fuzz.py).
The API's own operations take JSON, not forms: Schemathesis fuzzes them (tests/api/test_schema.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| apitokens:token-list | POST | member | TokenForm | – |
| api:network-event-list | GET | anonymous | NetworkEventFilter (the events page's filters) | past, cursor |
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from api.forms import TokenForm
from api.public import NetworkEventFilter
from events.models import Event
from tests.fuzz.engine import Endpoint

ENDPOINTS: list = [
    Endpoint(
        "apitokens:token-list",
        "member",
        lambda w: reverse("apitokens:token-list"),
        lambda w: [TokenForm(user=w.user("member"))],
        covers=(TokenForm,),
        valid={"scope": "read"},
    ),
    Endpoint(
        "api:network-event-list",
        "anonymous",
        lambda w: reverse("api:network-event-list", args=[w.network.slug]),
        lambda w: [NetworkEventFilter(queryset=Event.objects.none(), user=AnonymousUser(), past=False)],
        covers=(NetworkEventFilter,),
        method="get",
        extra={"past": "true", "cursor": ""},
    ),
]
NOT_FUZZED: dict[str, str] = {
    "apitokens:token-revoke": "no input (the token's id in the address)",
}
READ_ONLY: set[str] = set()
