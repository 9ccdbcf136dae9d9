"""axe-core (vendored from npm: tests/browser/vendor/axe.min.js, MPL-2.0) finds no WCAG 2.1 A/AA violation on
the public pages and the main pages of each role, in the demo portal, in German and in English; and no German
page shows an English sentence (a string left untranslated).

axe is evaluated through the DevTools protocol, so the pages keep their Content-Security-Policy as they are.
"""

from pathlib import Path

import pytest

from tests.browser.helpers import assert_clean, log_in, log_out, untranslated

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
PUBLIC = [
    "/",
    "/netzwerke/",
    "/netzwerke/nkk-koeln-bonn/",
    "/veranstaltungen/",
    "/klima-roadmaps/",
    ROADMAP,
    ROADMAP + "massnahmen/",
    ROADMAP + "massnahmen/?handlungsfeld=mobility",
    ROADMAP + "vorschlaege/",
    ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/",
    "/netzwerke/klima-roadmap-kreis-dueren/",  # the network's profile lists its roadmap (issue 16)
    ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/rueckmeldung/",  # feedback without an account
    "/datenschutz/",
    "/mitmachen/",  # what citizens can do themselves (issue 16 §1)
    "/organisationen/stadt-troisdorf/vergleich/",  # comparison with similar municipalities (issue 17 §2)
    "/organisationen/stadt-troisdorf/vergleich/?gruppe=network-nkk-koeln-bonn",  # a group without statistics
    "/foerderprogramme/",  # the funding programmes (issue 17 §3)
    "/foerderprogramme/?sector=mobility&state=NW",
    "/foerderprogramme/kommunalrichtlinie-kommunale-netzwerke-klimaschutznetzwerke/",  # example data
    "/mitmachen/?kosten=free&handlungsfeld=mobility",
    "/massnahmenbibliothek/",  # the measure library (issue 17 §1)
    "/massnahmenbibliothek/?handlungsfeld=mobility&groesse=grossstadt&sortierung=uebernahmen",
    "/massnahmenbibliothek/balkon-pv-fuer-mieterinnen/",  # an entry with an adoption
    ROADMAP + "mitmachen/",
    "/konto/bestaetigung-erneut-senden/",
    "/konto/login/",
    "/konto/signup/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/en/",
    "/en" + ROADMAP,
]
BY_ROLE = {
    "dueren.redaktion@example.org": [
        "/start/",
        ROADMAP + "redaktion/",
        ROADMAP + "redaktion/massnahmen/neu/",
        ROADMAP + "redaktion/import/",
        ROADMAP + "redaktion/moderation/",
        ROADMAP + "redaktion/beteiligung/",  # participation phases
        "/organisationen/kreis-dueren/monitoring/",
        "/organisationen/kreis-dueren/monitoring/werte/?jahr=2026",
        "/organisationen/kreis-dueren/monitoring/thg-bilanz/",
        f"/berichte/neu/?roadmap={ROADMAP.split('/')[2]}",
    ],
    "buerger@example.org": ["/mein-bereich/", "/profil/"],  # a citizen's own area and profile
    "nkk.mitglied@example.org": [
        "/netzwerke/nkk-koeln-bonn/intern/",
        "/netzwerke/nkk-koeln-bonn/mitglieder/",
        "/netzwerke/nkk-koeln-bonn/termine/",
        "/netzwerke/nkk-koeln-bonn/monitoring/",
        "/profil/",
        "/profil/e-mails/",
        ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/kontakt/",  # the measure's contact form
        "/folgen/",  # what I follow
        "/wer-weiss-was/",  # who knows what, across networks (issue 17 §4)
        "/wer-weiss-was/anfragen/",  # my questions to experts (Lena Hoffmann's: none yet)
        "/organisationen/stadt-troisdorf/vergleich/freigabe/",  # Troisdorf's editor: what it publishes
        "/organisationen/stadt-troisdorf/vergleich/stammdaten/",
        "/netzwerke/nkk-koeln-bonn/foerderradar/",  # calls that fit the member organisations
        "/massnahmenbibliothek/lastenrad-verleih-in-den-kreisstaedten/uebernehmen/",  # Troisdorf's editor copies
    ],
    "ktt.koordination@example.org": [
        "/netzwerke/klima-taten-team-westpfalz/monitoring/gesundheit/",
        "/netzwerke/klima-taten-team-westpfalz/termine/neu/",
        "/netzwerke/klima-taten-team-westpfalz/terminreihen/neu/",
        "/netzwerke/klima-taten-team-westpfalz/personen/",
        "/netzwerke/klima-taten-team-westpfalz/personen/import/",
        "/netzwerke/klima-taten-team-westpfalz/aufgaben/",
        "/foerderprogramme/neu/",  # coordinators keep the funding programmes
        "/foerderprogramme/import/",
        "/massnahmenbibliothek/neu/",  # coordinators curate library entries
    ],
}


def violations(browsing, path: str) -> list[str]:
    page = browsing.page
    response = page.goto(browsing.url(path))
    assert response.status == 200, f"{path}: {response.status}"
    page.evaluate(AXE)
    found = page.evaluate(
        """async (rules) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: rules}});
            const where = (v) => v.nodes.map(n => n.target.join(" ")).join(", ");
            return result.violations.map(v => `${v.id} (${v.impact}): ${where(v)}`);
        }""",
        RULES,
    )
    found += [f"untranslated: {sentence}" for sentence in untranslated(page)]
    return [f"{path}: {line}" for line in found]


@pytest.mark.django_db(transaction=True)
def test_no_wcag_violations_on_public_and_member_pages(browsing, demo_data):
    found = [line for path in PUBLIC for line in violations(browsing, path)]
    for email, paths in BY_ROLE.items():
        log_in(browsing, email)
        found += [line for path in paths for line in violations(browsing, path)]
        log_out(browsing)
    assert found == [], "\n".join(found)
    assert_clean(browsing)
