"""Models of networks.experts (app label ``experts``): a question to a person and the messages of its conversation.

Neither party's email address is stored here or shown: every message goes through the outbox to the other party,
with a reply address of networks.inbound (kind ``ask``) that brings an answer by email back into the conversation.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from networks.models import Person, Topic


class Question(models.Model):
    asker = models.ForeignKey(Person, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Person, verbose_name=_("asked"), on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=150)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(_("last message"), auto_now_add=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("question to an expert")
        verbose_name_plural = _("questions to experts")
        indexes = [
            models.Index(fields=["asker", "-last_message_at"], name="experts_question_asker_idx"),
            models.Index(fields=["expert", "-last_message_at"], name="experts_question_expert_idx"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(asker=models.F("expert")), name="experts_not_oneself")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("experts:question-detail", args=[self.pk])

    def other_party(self, person: Person) -> Person:
        return self.expert if person.pk == self.asker_id else self.asker


class QuestionMessage(models.Model):
    class Via(models.TextChoices):
        WEB = "web", _("on the portal")
        EMAIL = "email", _("by email")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Person, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    via = models.CharField(_("written"), max_length=5, choices=Via, default=Via.WEB)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.question} – {self.author}"


class Block(models.Model):
    """``person`` receives no more questions or messages from ``blocked`` (the abuse switch of the asked)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(Person, verbose_name=_("blocked person"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked asker")
        verbose_name_plural = _("blocked askers")
        constraints = [models.UniqueConstraint(fields=["person", "blocked"], name="experts_block_once")]

    def __str__(self) -> str:
        return f"{self.person} ⊘ {self.blocked}"
