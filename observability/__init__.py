"""Observability for operators (issue 19 §4): Prometheus metrics, structured request logs with a request id that
travels into Celery tasks and outbox rows, Sentry error reports, liveness and readiness probes.

README, Operations: what to alert on and the dashboards' queries."""
