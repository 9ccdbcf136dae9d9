"""Demo discussions (load_demo calls ``load`` after the apps' demos and the library's), from the seeds' topics:
the NKK on heat-planning offices and the spread of target years, the Klima.Taten.Team's PV campaign and "who has
experience with software for energy controlling?" (answered, the answer in the FAQ), a thread of the KEK's
working group. Written through the services (the notifications are queued as for real posts), then dated back
over the last weeks. Idempotent: a thread is found by its network and title, a category by its slug."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.channel import services
from networks.channel.models import Category, Post, Thread
from networks.models import Network, Person, Topic, WorkingGroup

CATEGORIES = {
    "nkk-koeln-bonn": [
        ("Wärmeplanung", "waermeplanung"),
        ("Klimaneutralitätsziel", "zieljahr"),
        ("Fördermittel", "foerdermittel"),
    ],
    "klima-taten-team-westpfalz": [
        ("PV-Kampagne", "pv-kampagne"),
        ("Energiemanagement", "energiemanagement"),
        ("Fördermittel", "foerdermittel"),
    ],
    "kek-dortmund": [("Klimaschutzziele", "klimaschutzziele")],
}

# network, category slug, working group name, title, [(author email, days ago, text)], pinned, answer index
THREADS = [
    (
        "nkk-koeln-bonn",
        "waermeplanung",
        "Steuerungsgruppe Wärmeplanung",  # a closed group: only its members and the coordination read this
        "Angebote für die gemeinsame Ausschreibung der Wärmeplanung",
        [
            (
                "nkk.koordination@example.org",
                6,
                "Drei Büros haben auf unsere Markterkundung geantwortet. Die Preisspannen liegen in der Bibliothek "
                "der Steuerungsgruppe; bitte noch nicht im Netzwerk weitergeben.",
            ),
            (
                "nkk.huerth@example.org",
                5,
                "Danke! Für Hürth wäre ein Konvoi mit zwei Nachbarkommunen interessant, wenn die Förderquote bleibt.",
            ),
        ],
        False,
        None,
    ),
    (
        "nkk-koeln-bonn",
        "waermeplanung",
        "Kommunale Wärmeplanung",
        "Erfahrungen mit Planungsbüros für die kommunale Wärmeplanung",
        [
            (
                "nkk.mitglied@example.org",
                18,
                "Wir schreiben gerade die Wärmeplanung aus. Die meisten von Ihnen haben schon ein **externes Büro** "
                "beauftragt: Wie viele Angebote kamen, und worauf haben Sie bei der Vergabe geachtet?",
            ),
            (
                "nkk.gl@example.org",
                17,
                "Bei uns kamen drei Angebote. Wichtig war uns, dass das Büro die Daten der Schornsteinfeger und der "
                "Netzbetreiber selbst anfragt – das hat in der Bestandsanalyse Monate gespart.",
            ),
            (
                "nkk.huerth@example.org",
                16,
                "Wir sind schon bei Potenzialanalyse und Zielszenario. Mein Tipp: Zwischentermine mit dem Stadtwerk "
                "fest in den Vertrag schreiben.\n\n- Auftaktworkshop\n- Zwischenstand Zielszenario\n- Entwurf",
            ),
            (
                "nkk.koordination@example.org",
                15,
                "Danke! @Claudia Vogel, dürfen wir Ihre Leistungsbeschreibung im Netzwerk teilen? Dann lege ich sie "
                "in die Bibliothek der Arbeitsgruppe.",
            ),
        ],
        False,
        None,
    ),
    (
        "nkk-koeln-bonn",
        "zieljahr",
        None,
        "Zieljahre zur Klimaneutralität: 2035, 2040 oder 2045?",
        [
            (
                "nkk.koordination@example.org",
                12,
                "Beim letzten Treffen wurde deutlich, wie weit die Zieljahre in der Region auseinanderliegen. "
                "Wie erklären Sie Verwaltung und Bürgerschaft, warum Ihre Kommune **2035** oder erst **2045** "
                "klimaneutral werden will?",
            ),
            (
                "nkk.gl@example.org",
                11,
                "Wir haben 2040 beschlossen und kommunizieren es als Zwischenziel mit jährlichem Monitoring – "
                "das nimmt die Diskussion um die Jahreszahl etwas heraus.",
            ),
            (
                "nkk.mitglied@example.org",
                9,
                "> kommunizieren es als Zwischenziel\n\nSo machen wir es auch. Hilfreich war ein Zielpfad im "
                "Monitoringbericht, den alle Fachbereiche sehen.",
            ),
        ],
        True,
        None,
    ),
    (
        "klima-taten-team-westpfalz",
        "energiemanagement",
        "Kommunales Energiemanagement und -controlling",
        "Wer hat Erfahrung mit Software für Energiecontrolling?",
        [
            (
                "ktt.ps@example.org",
                21,
                "Wir wollen das Energiecontrolling unserer Liegenschaften nicht mehr in Excel führen. "
                "Wer hat Erfahrung mit einer Software – und wie viel Aufwand war die Einführung?",
            ),
            (
                "ktt.kusel@example.org",
                20,
                "Wir haben im Landkreis **Kom.EMS** eingeführt und nutzen eine Energiecontrolling-Software mit "
                "automatischer Zählerauslesung. Aufwand: etwa ein halbes Jahr für die Stammdaten der Gebäude, "
                "danach spart es jeden Monat Zeit.\n\n1. Zähler und Gebäude erfassen\n2. Lastgänge einbinden\n"
                "3. Jahresbericht aus der Software",
            ),
            (
                "ktt.kl@example.org",
                19,
                "Können wir bestätigen. Förderfähig ist die Einführung über die Kommunalrichtlinie.",
            ),
        ],
        False,
        1,
    ),
    (
        "klima-taten-team-westpfalz",
        "pv-kampagne",
        None,
        "PV-Kampagne: gemeinsame Materialien für alle Kommunen",
        [
            (
                "ktt.kl@example.org",
                6,
                "Für die Photovoltaik-Kampagne schlage ich gemeinsame Flyer und eine Vortragsreihe vor. "
                "@Katrin Lang, habt ihr im Kreis noch die Vorlagen vom letzten Jahr?",
            ),
            ("ktt.kusel@example.org", 5, "Ja, ich lade sie hoch. Die Texte müssten wir nur aktualisieren."),
            (
                "ktt.koordination@example.org",
                4,
                "Sehr gut. Ich nehme die Kampagne auf die Tagesordnung des nächsten Klima.Taten.Talks.",
            ),
        ],
        True,
        None,
    ),
    (
        "kek-dortmund",
        "klimaschutzziele",
        "Eigene Klimaschutzziele der Mitgliedsorganisationen",
        "Eigene Klimaschutzziele: Welche Bilanzgrenzen nutzen Sie?",
        [
            (
                "kek.mitglied@example.org",
                8,
                "Für die eigenen Ziele der Mitgliedsorganisationen brauchen wir eine gemeinsame Bilanzgrenze. "
                "Bilanzieren Sie nur Gebäude und Fuhrpark, oder auch Dienstreisen?",
            ),
            (
                "kek.dew21@example.org",
                7,
                "Wir starten mit Gebäuden und Fuhrpark; Dienstreisen kommen im zweiten Jahr dazu.",
            ),
        ],
        False,
        None,
    ),
]


def _categories(network: Network) -> dict[str, Category]:
    found = {}
    for position, (name, slug) in enumerate(CATEGORIES.get(network.slug, []), 1):
        found[slug], _created = Category.objects.get_or_create(
            network=network, slug=slug, defaults={"name": name, "position": position}
        )
    return found


def _thread(network: Network, categories, spec) -> Thread | None:
    _net, category, group_name, title, posts, pinned, answer = spec
    found = Thread.objects.filter(network=network, title=title).first()
    if found is not None:
        return found
    people = {p.user.email: p for p in Person.objects.filter(user__email__in=[e for e, _d, _t in posts])}
    if len(people) < len({e for e, _d, _t in posts}):
        return None  # a partial demo without these people
    group = WorkingGroup.objects.filter(network=network, name=group_name).first() if group_name else None
    email, _days, text = posts[0]
    thread = services.thread_create(
        network=network,
        author=people[email],
        title=title,
        body=text,
        category=categories.get(category),
        working_group=group,
    )
    for email, _days, text in posts[1:]:
        services.post_reply(thread=thread, author=people[email], body=text)
    _date_back(thread, [days for _e, days, _t in posts])
    coordinator = Person.objects.filter(network_roles__network=network, network_roles__role="coordinator").first()
    if pinned and coordinator is not None:
        services.thread_pin(thread=thread, by=coordinator.user, pinned=True)
    if answer is not None and coordinator is not None:
        services.mark_answer(thread=thread, post=thread.posts.get(number=answer + 1), by=thread.author.user)
        topic = Topic.objects.filter(slug="energiemanagement").first()
        services.faq_from_answer(thread=thread, by=coordinator.user, topic=topic)
    return thread


def _date_back(thread: Thread, days: list[int]) -> None:
    now = timezone.now()
    for number, ago in enumerate(days, 1):
        Post.objects.filter(thread=thread, number=number).update(created_at=now - timedelta(days=ago, hours=number))
    Thread.objects.filter(pk=thread.pk).update(
        created_at=now - timedelta(days=days[0], hours=1), last_post_at=now - timedelta(days=days[-1], hours=len(days))
    )


def load(*, stdout=None) -> None:
    networks = {n.slug: n for n in Network.objects.filter(slug__in=CATEGORIES)}
    made = 0
    for spec in THREADS:
        network = networks.get(spec[0])
        if network is not None and _thread(network, _categories(network), spec) is not None:
            made += 1
    if stdout is not None:
        stdout.write(f"Discussions: {made} threads in {len(networks)} networks (with an answer in the KTT's FAQ).")
