"""Fuzz entries of networks.digest (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| digest:settings | POST | member | DigestTimeForm, NetworkDeliveryForm (prefix n<network id>) | – |
| digest:network-settings | POST | member | NetworkDeliveryForm (prefix n<network id>) | – |
| digest:one-click | POST | anyone with the link | – (the signed token in the path) | List-Unsubscribe (compared only) |
| digest:preview | GET | member | – | period (compared with "weekly" only) |
"""

from __future__ import annotations

from networks.digest.forms import DigestTimeForm, NetworkDeliveryForm
from tests.fuzz.endpoints import net, url
from tests.fuzz.engine import Endpoint

ENDPOINTS: list = [
    Endpoint(
        "digest:settings",
        "member",
        url("digest:settings"),
        lambda w: [DigestTimeForm(), NetworkDeliveryForm(network=w.network)],
        covers=(DigestTimeForm, NetworkDeliveryForm),
    ),
    Endpoint(
        "digest:network-settings",
        "member",
        url("digest:network-settings", net),
        lambda w: [NetworkDeliveryForm(network=w.network)],
        covers=(NetworkDeliveryForm,),
    ),
]
NOT_FUZZED: dict[str, str] = {
    "digest:one-click": "no input (the signed token is in the path; the body's List-Unsubscribe is only compared)",
}
READ_ONLY: set[str] = {"digest:preview"}  # its one GET key is only compared with "weekly"
