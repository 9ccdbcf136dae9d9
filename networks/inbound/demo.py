"""Demo of reply by email: a member of the Klima.Taten.Team answered a notification from Thunderbird (format=flowed,
as Thunderbird sends it: the wrapped paragraph becomes one again; the reply
appears in the thread without the quote and the signature, marked "by email"), and an out-of-office reply to the
same notification was dropped. Both go through networks.inbound.services.process as real messages; their
Message-IDs make a second load_demo take nothing twice."""

from email.message import EmailMessage

from django.utils import timezone

from networks.inbound import services
from networks.inbound.tokens import make_token
from networks.models import Person

THREAD_TITLE = "PV-Kampagne: gemeinsame Materialien für alle Kommunen"
AUTHOR = "ktt.kusel@example.org"
# A soft line break of format=flowed is a space before the line end (RFC 3676).
REPLY = (
    "Hallo zusammen,\n"
    "\n"
    "wir übernehmen gern die Flyer-Vorlage und drucken 2.000 Stück für den Landkreis. Den Termin für den \n"
    "Infoabend in Kusel stimmen wir mit der Verbraucherzentrale ab – Vorschlag: Donnerstag, 19 Uhr.\n"
    "\n"
    "Viele Grüße\n"
    "aus Kusel\n"
    "\n"
    "Am 02.12.2026 um 09:12 schrieb Klimanetz:\n"
    "> Die Druckvorlagen für Flyer und Plakate liegen jetzt in der Bibliothek des Netzwerks.\n"
    ">\n"
    "> --\n"
    "> Antworten Sie direkt auf diese E-Mail, um im Thema zu antworten.\n"
    "\n"
    "-- \n"
    "Klimaschutzmanagement Landkreis Kusel\n"
    "Trierer Straße 49, 66869 Kusel\n"
)


def _message(*, person: Person, thread, message_id: str, body: str, auto: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{person.name} <{person.user.email}>"
    msg["To"] = f"Klimanetz <reply+{make_token(person.pk, thread.pk)}@klimanetz.example>"
    msg["Subject"] = ("Abwesenheitsnotiz: " if auto else "Re: ") + f"[KTT] {thread.title}"
    msg["Date"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = message_id
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
    msg["User-Agent"] = "Mozilla Thunderbird"
    msg.set_content(body)
    if not auto:
        msg.set_param("format", "flowed")
    return msg.as_bytes()


def load(*, stdout=None) -> None:
    from networks.channel.models import Thread

    thread = Thread.objects.filter(network__slug="klima-taten-team-westpfalz", title=THREAD_TITLE).first()
    person = Person.objects.select_related("user").filter(user__email=AUTHOR).first()
    if thread is None or person is None:
        return  # a partial demo without the channel's thread or the person
    results = [
        services.process(_message(person=person, thread=thread, message_id="<demo-reply-1@kusel.example>", body=REPLY)),
        services.process(
            _message(
                person=person,
                thread=thread,
                message_id="<demo-ooo-1@kusel.example>",
                body="Ich bin bis zum 14.12. nicht im Büro. Ihre E-Mail wird nicht weitergeleitet.",
                auto=True,
            )
        ),
    ]
    if stdout is not None:
        taken = [r for r in results if not r.duplicate]
        stdout.write(f"Reply by email: {len(taken)} emails taken (a reply posted, an out-of-office reply dropped).")
