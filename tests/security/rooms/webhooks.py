"""Authorization-matrix rows and world objects of networks.webhooks: an organisation's endpoints for its editors,
a network's for its coordinators (staff both); another owner's endpoint is 404 even for them."""

from __future__ import annotations

from tests.security.conftest import PAYLOAD, World, poison


def build(w: World) -> None:
    from networks.webhooks.models import Delivery
    from tests.webhooks.factories import endpoint_of

    url = "https://hooks.example.org/klimanetz"
    w.o["hook"] = poison(endpoint_of(w.org, url), status="paused", pause_reason=PAYLOAD)
    w.o["hook_b"] = endpoint_of(w.org_b, url)
    w.o["net_hook"] = poison(endpoint_of(w.network, url, kinds=["event.created"]))
    w.o["net_hook_b"] = endpoint_of(w.other, url, kinds=["event.created"])
    for hook in (w.o["hook"], w.o["net_hook"]):
        poison(Delivery(endpoint=hook, kind="measure.changed", body=PAYLOAD), last_error="x", status="failed")
        Delivery.objects.filter(endpoint=hook).update(last_response=PAYLOAD)


def rows() -> list:
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS,
        EDITORS,
        NOT_FOUND,
        POST_ONLY,
        Row,
        done,
    )

    def org(w):
        return {"organisation": w.org.slug}

    def net(w):
        return {"slug": w.network.slug}

    def one(base, name):
        return lambda w: {**base(w), "pk": w.o[name].pk}

    rows = []
    for scope, base, hook, foreign, allowed in (
        ("organisation", org, "hook", "hook_b", EDITORS),
        ("network", net, "net_hook", "net_hook_b", COORDINATORS),
    ):
        endpoint = one(base, hook)
        not_theirs = {**allowed, **{p: NOT_FOUND for p, answer in allowed.items() if answer == 200}}
        rows += [
            Row(f"webhooks:{scope}-endpoints", base, allowed),
            Row(f"webhooks:{scope}-endpoint-create", base, allowed, post=done(allowed, BAD)),
            Row(f"webhooks:{scope}-endpoint", endpoint, allowed, note="the secret is never on it (shown once)"),
            Row(f"webhooks:{scope}-endpoint", one(base, foreign), not_theirs, note="another owner's endpoint"),
            Row(f"webhooks:{scope}-endpoint-edit", endpoint, allowed, post=done(allowed, BAD)),
            Row(f"webhooks:{scope}-endpoint-edit", one(base, foreign), not_theirs, post=not_theirs),
            Row(f"webhooks:{scope}-endpoint-delete", endpoint, allowed, post=done(allowed)),
            Row(f"webhooks:{scope}-endpoint-test", endpoint, POST_ONLY, post=done(allowed)),
            Row(f"webhooks:{scope}-endpoint-test", one(base, foreign), POST_ONLY, post=not_theirs),
            Row(f"webhooks:{scope}-endpoint-resume", endpoint, POST_ONLY, post=done(allowed)),
            Row(f"webhooks:{scope}-endpoint-secret", endpoint, POST_ONLY, post=done(allowed)),
        ]
    return rows
