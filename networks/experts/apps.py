"""networks.experts: asking an expert through the portal (issue 17 §4, a room of networks, DESIGN §2).

"Wer weiß was" itself is networks' page (networks.views.expertise_search); this room adds what goes with it: the
question to a person found there, their answers back and forth by email without either address shown (the reply
addresses of networks.inbound, kind ``ask``), the asker's and the expert's list of questions, and blocking.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.experts"
    label = "experts"
    verbose_name = _("Questions to experts")

    def ready(self) -> None:
        from networks import mail, panels
        from networks.experts import mail_kinds, services
        from networks.inbound import tokens

        mail.register(*mail_kinds.KINDS)
        panels.register_personal_data("experts", services.personal_data)
        panels.register_account_delete("experts", services.before_account_delete)
        tokens.register_route(services.ROUTE, services.reply_by_email)
