"""networks.webhooks: signed HTTP notifications to endpoints that organisations and networks register (issue 18 §2).

An organisation's editors or a network's coordinators register HTTPS endpoints and choose event types
(``kinds``). The apps' services call ``services.emit`` in their own transaction; it writes one ``Delivery`` row per
matching endpoint (the outbox pattern), sent after commit by a Celery task and by the beat sweep, each row claimed
by one worker at a time. Every request goes through ``networks.outbound`` (no private addresses) and is signed
(``signing``); failed attempts are retried with exponential backoff and jitter for a day; an endpoint whose
deliveries fail for three days is paused and its owners get an email.
"""
