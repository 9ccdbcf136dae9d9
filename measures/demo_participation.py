"""Demo of participation both ways (issue 16 §2) on Düren's roadmap: proposals with states and official answers
(accepted – it became a measure –, in review, not taken up), an official reply to a citizen's question, and the
participation phases ("Ideen sammeln" now, then the workshop). Idempotent: found by natural keys (titles, the
question's text), an answer is given only once. Called by measures.demo.load after the proposals and measures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from measures import services
from measures.models import (
    Comment,
    Moderation,
    NetiquetteAcceptance,
    ParticipationPhase,
    Proposal,
    ProposalState,
    Roadmap,
)
from networks.models import Person

ROADMAP = "klima-roadmap-kreis-dueren"
EDITOR = "dueren.redaktion@example.org"
ANSWERS = {
    "Mitfahrbänke in den Dörfern": (
        ProposalState.IN_REVIEW,
        "Eine gute Idee für die Eifel-Dörfer. Wir prüfen sie gemeinsam mit den Gemeinden Nideggen, Heimbach und "
        "Hürtgenwald und stellen das Ergebnis beim Workshop zur Auswertung der Vorschläge vor.",
    ),
    "Trinkwasserbrunnen in den Innenstädten": (
        ProposalState.NOT_TAKEN_UP,
        "Trinkbrunnen im öffentlichen Raum sind Sache der Städte und ihrer Wasserversorger; der Kreis kann sie "
        "nicht selbst bauen. Wir haben Ihren Vorschlag an die Städte Düren und Jülich weitergegeben und nehmen "
        "ihn in die **Hitzeaktionsplanung** auf.",
    ),
}
QUESTION = "Gilt der Zuschuss auch für Geräte mit Speicher?"
REPLY = "Ja: Steckersolargeräte mit Speicher werden ebenso gefördert, solange die Leistung 800 W nicht übersteigt."


def load(*, stdout=None) -> None:
    roadmap = Roadmap.objects.filter(slug=ROADMAP).first()
    editor = Person.objects.filter(user__email=EDITOR).first()
    if roadmap is None or editor is None:
        return
    today = timezone.localdate()
    phases = [
        ("Ideen sammeln", today - timedelta(days=30), today + timedelta(days=60), True, "Schicken Sie uns Ihre Ideen."),
        (
            "Auswertung im Workshop",
            today + timedelta(days=61),
            today + timedelta(days=90),
            False,
            "Die Redaktion stellt alle Vorschläge mit ihrer Antwort im Workshop vor.",
        ),
    ]
    for title, starts, ends, collecting, description in phases:
        ParticipationPhase.objects.update_or_create(
            roadmap=roadmap,
            title=title,
            defaults={"starts": starts, "ends": ends, "collecting": collecting, "description": description},
        )
    # the demo's citizens contributed before: they accepted the participation rules then
    authors = {*Proposal.objects.filter(roadmap=roadmap).values_list("author", flat=True)}
    authors |= {*Comment.objects.filter(measure__roadmap=roadmap).values_list("author", flat=True)}
    for author in sorted(authors):
        NetiquetteAcceptance.objects.get_or_create(person_id=author)
    published = Proposal.objects.published().filter(roadmap=roadmap)
    for proposal in published.filter(measures__isnull=False, state=ProposalState.RECEIVED).distinct():
        Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED)  # it became a measure
    for title, (state, answer) in ANSWERS.items():
        proposal = published.filter(title=title, answer="").first()
        if proposal is not None:
            services.proposal_answer(proposal=proposal, state=state, answer=answer, by=editor)
    question = Comment.objects.filter(
        measure__roadmap=roadmap, text=QUESTION, parent=None, status=Moderation.PUBLISHED
    ).first()
    if question is not None and not question.replies.filter(official=True).exists():
        services.comment_submit(measure=question.measure, author=editor, text=REPLY, parent=question)
    # authors follow their own proposals, as services.proposal_submit makes them (after the answers above: the
    # demo's past answers are not mailed again); "Mein Bereich" lists them under what they follow
    for proposal in Proposal.objects.filter(roadmap=roadmap, author__isnull=False).select_related("author"):
        services.follow(person=proposal.author, obj=proposal)
    if stdout is not None:
        stdout.write(f"Participation: {len(phases)} phases, {len(ANSWERS)} answered proposals, 1 official reply.")
