from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from observability import metrics

        def login_failed(sender, credentials=None, request=None, **kwargs) -> None:
            metrics.LOGIN_FAILURES.inc()

        user_login_failed.connect(login_failed, weak=False, dispatch_uid="observability-login-failed")
