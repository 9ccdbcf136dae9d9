"""Parsing real-world replies: the text above the quote, without signatures, from every common mail program."""

import pytest

from networks.inbound.parsing import html_to_text, parse_message, reply_text
from tests.inbound.factories import reply_mail, sample


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "thunderbird_de.eml",
            "Hallo zusammen,\n\nwir haben das Büro Wärme & Co. beauftragt, Angebot über 48.000 €.\n"
            "Die Ausschreibung lief über vier Wochen.\n\nMit freundlichen Grüßen\nAnna Beispiel",
        ),
        ("gmail_de.eml", "Danke, die Flyer sind angekommen. Wir verteilen sie am Samstag auf dem Marktplatz."),
        (
            "outlook_de.eml",
            "Guten Tag,\n\nunser Kreistag hat 2040 beschlossen – „bilanziell“, nicht absolut. Kosten bisher 12 € je "
            "Einwohner*in.\n\nViele Grüße\nChristine Koch",
        ),
        (
            "outlook_html_only.eml",
            "Wir haben gute Erfahrungen mit EnergieCheck Pro gemacht:\n\n- Zählerstände per App\n"
            "- Berichte für den Gemeinderat\n\nMehr dazu: unser Bericht <https://example.org/energiecontrolling>",
        ),
        ("apple_mail_en.eml", "Count me in for the 14th."),
        ("iphone_de.eml", "Passt mir gut, ich bringe die Präsentation mit."),
        ("thunderbird_html_only.eml", "Ich komme gern & bringe Kuchen mit.\n\nGrüße\nAnna"),
        (
            "inline_reply.eml",
            "> Wie hoch war die Förderquote?\n\n70 Prozent über die Kommunalrichtlinie.\n\n"
            "> Und wie lange hat die Bewilligung gedauert?\n\nGut vier Monate.",
        ),
        ("no_message_id.eml", "Eine Antwort ohne Message-ID."),
    ],
)
def test_samples_reply(name, expected):
    parsed = parse_message(sample(name))
    assert parsed.reply == expected
    assert parsed.automatic == ""


def test_sample_headers():
    parsed = parse_message(sample("thunderbird_de.eml", to="reply+abc@klimanetz.example"))
    assert parsed.message_id == "<7c1e2f3a-1111-4a5b-9c3d-thunderbird@stadt-musterhausen.de>"
    assert parsed.from_address == "anna.beispiel@stadt-musterhausen.de"  # lower case
    assert parsed.from_name == "Anna Beispiel"
    assert parsed.subject == "Re: [KEK] Wärmeplanung: Wer hat schon ein Büro beauftragt?"
    assert parsed.recipients == ["reply+abc@klimanetz.example"]


def test_html_only_flag_and_windows_1252():
    assert parse_message(sample("outlook_html_only.eml")).from_html
    assert not parse_message(sample("gmail_de.eml")).from_html  # the text part wins when there is one
    assert "„bilanziell“" in parse_message(sample("outlook_de.eml")).text  # labelled iso-8859-1, is cp1252


def test_message_without_id_is_keyed_by_its_bytes():
    raw = sample("no_message_id.eml")
    first, again = parse_message(raw), parse_message(raw)
    assert first.message_id.startswith("sha256:") and first.message_id == again.message_id
    assert parse_message(raw + b"\r\nmehr").message_id != first.message_id


@pytest.mark.parametrize(("name", "reason"), [("auto_reply_ooo.eml", "auto-reply"), ("bounce.eml", "bounce")])
def test_machines(name, reason):
    assert parse_message(sample(name)).automatic == reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-generated"}, "auto-reply"),
        ({"Auto-Submitted": "auto-replied; owner-email=x@y.de"}, "auto-reply"),
        ({"Auto-Submitted": "no"}, ""),
        ({"Precedence": "bulk"}, "auto-reply"),
        ({"Precedence": "junk"}, "auto-reply"),
        ({"Precedence": "list"}, "auto-reply"),
        ({"Precedence": "auto_reply"}, "auto-reply"),
        ({"X-Autoreply": "yes"}, "auto-reply"),
        ({"X-Autorespond": "yes"}, "auto-reply"),
        ({"X-Auto-Response-Suppress": "OOF"}, "auto-reply"),
        ({"Return-Path": "<>"}, "bounce"),
        ({"Return-Path": "<anna@example.org>"}, ""),
        ({"List-Id": "<kek.lists.example.org>"}, "list"),
        ({"X-Klimanetz-Message": "17"}, "ours"),
    ],
)
def test_automatic_headers(headers, reason):
    raw = reply_mail(to="reply+x@klimanetz.example", sender="anna@example.org", headers=headers)
    assert parse_message(raw).automatic == reason


def test_mailer_daemon_is_a_bounce():
    raw = reply_mail(to="reply+x@klimanetz.example", sender="MAILER-DAEMON@mx.example.org")
    assert parse_message(raw).automatic == "bounce"


@pytest.mark.parametrize(
    "header",
    [
        "Am 03.12.2026 um 10:15 schrieb Anna Beispiel <anna@example.org>:",
        "Am 03.12.2026 um 10:15 schrieb Anna Beispiel\n<anna@example.org>:",
        "Am Mi., 3. Dez. 2026 um 10:15 Uhr schrieb Anna Beispiel <\nanna@example.org>:",
        "Am 03.12.2026 um 10:15\nschrieb Anna\nBeispiel:",
        "Anna Beispiel schrieb am 03.12.2026 um 10:15:",
        "Anna Beispiel <anna@example.org> hat am 03.12.2026 um 10:15 geschrieben:",
        "On Wed, Dec 3, 2026 at 10:15 AM Anna Beispiel <anna@example.org> wrote:",
        "On Wed, Dec 3, 2026 at 10:15 AM Anna Beispiel <\nanna@example.org> wrote:",
        "On 03/12/2026 10:15, Anna wrote:",
        "-----Ursprüngliche Nachricht-----\nVon: Anna",
        "-----Original Message-----\nFrom: Anna",
        "---------- Forwarded message ---------\nFrom: Anna",
        "Von: Anna Beispiel <anna@example.org>\nGesendet: Mittwoch, 3. Dezember 2026 10:15\nAn: Bernd\nBetreff: Frage",
        "From: Anna Beispiel <anna@example.org>\nSent: Wednesday, December 3, 2026 10:15 AM\nTo: Bernd\nSubject: Q",
        "Von: Anna Beispiel <anna@example.org>\nDatum: Mittwoch, 3. Dezember 2026 um 10:15\nAn: Bernd\nBetreff: F",
        "________________________________\nVon: Anna Beispiel\nGesendet: heute\nAn: Bernd",
        "Le 3 déc. 2026 à 10:15, Anna a écrit :",
        # GMX and WEB.DE
        'Gesendet: Donnerstag, 03. Dezember 2026 um 10:15 Uhr\nVon: "Klimanetz" <noreply@klimanetz.example>\n'
        "An: anna@gmx.de\nBetreff: [KTT] Frage",
        "-----Original-Nachricht-----\nBetreff: Frage",
    ],
)
def test_quote_headers_cut(header):
    text = f"Meine Antwort.\nZweite Zeile.\n\n{header}\n\n> Die ursprüngliche Frage\n> mit zwei Zeilen\nnoch mehr\n"
    assert reply_text(text) == "Meine Antwort.\nZweite Zeile."


@pytest.mark.parametrize(
    "footer",
    [
        "-- \nAnna Beispiel\nStadt Musterhausen",
        "--\nAnna Beispiel",
        "Von meinem iPhone gesendet",
        "Gesendet von meinem Samsung Galaxy",
        "Von meinem Samsung Galaxy Smartphone gesendet.",
        "Sent from my iPhone",
        "Sent from Outlook for Android",
        "Get Outlook for iOS",
        "Outlook für iOS beziehen",
        "Gesendet mit der WEB.DE Mail App",
        "Von Mail für Windows gesendet",
    ],
)
def test_signatures_cut(footer):
    assert reply_text(f"Bis morgen!\n\nViele Grüße\nAnna\n\n{footer}\n") == "Bis morgen!\n\nViele Grüße\nAnna"


def test_text_that_only_looks_like_headers_stays():
    assert reply_text("Gesendet: heute früh\nBetreff: die Förderung\nAn: alle") == (
        "Gesendet: heute früh\nBetreff: die Förderung\nAn: alle"
    )  # no sender field: not a header block
    text = (
        "Von: der Stadt kam nichts.\nAn: den Kreis haben wir geschrieben.\n"
        "Am Ende schrieb der Kreis zurück\n-- das war alles --\n"
        "- Punkt eins\n  - eingerückt\n\n    code block\n"
    )
    assert reply_text(text) == text.rstrip("\n")


def test_only_quote_is_empty():
    assert reply_text("> alles zitiert\n> nichts Neues\n") == ""
    assert reply_text("\n\nAm 03.12.2026 um 10:15 schrieb Anna:\n> Frage\n") == ""
    assert parse_message(reply_mail(to="r@x", sender="a@b.de", body="\n-- \nAnna\n")).reply == ""


def test_long_text_is_bounded():
    assert len(reply_text("a" * 200_000)) == 100_000


def test_html_to_text():
    markup = (
        "<html><head><style>p{color:red}</style><title>T</title></head><body>"
        "<p>Erster&nbsp;Absatz<br>zweite Zeile</p><ol><li>eins</li><li>zwei</li></ol>"
        "<p><a href='https://example.org/a'>Link</a> und <a href='https://example.org/b'>https://example.org/b</a>"
        " und <a href='mailto:x@y.de'>Mail</a></p><script>alert(1)</script>"
        "<blockquote type='cite'>zitiert</blockquote><div class='gmail_quote'>Gmail-Zitat</div>"
        "<p>Ende &amp; &lt;Schluss&gt;</p></body></html>"
    )
    assert html_to_text(markup) == (
        "Erster Absatz\nzweite Zeile\n\n1. eins\n2. zwei\n\n"
        "Link <https://example.org/a> und https://example.org/b und Mail\n\nEnde & <Schluss>"
    )


def test_html_unbalanced_and_broken():
    assert html_to_text("<div><p>offen<div>weiter</p></div>") == "offen\nweiter"
    assert html_to_text("<blockquote>nie geschlossen") == ""
    assert html_to_text("") == ""


def test_attachments_read_and_inline_images_left_out():
    parsed = parse_message(sample("attachments.eml"))
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("Folien Frühjahr.pdf", "application/pdf"),
        ("tool.exe", "application/x-msdownload"),
    ]
    assert parsed.attachments[0].content.startswith(b"%PDF-1.4")
    assert parsed.reply == "Anbei die Folien vom Frühjahr und das Protokoll."


def test_inline_logo_is_not_an_attachment():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@b.de", "reply+x@klimanetz.example", "Re: x"
    msg.set_content("Text")
    msg.add_alternative('<p>Text</p><img src="cid:logo">', subtype="html")
    msg.get_payload()[1].add_related(
        b"\x89PNG\r\n\x1a\nlogo",
        maintype="image",
        subtype="png",
        cid="<logo>",
        filename="image001.png",
        disposition="inline",
    )
    assert parse_message(msg.as_bytes()).attachments == []


def test_unknown_charset_does_not_fail():
    raw = (
        b"From: a@b.de\r\nTo: reply+x@klimanetz.example\r\nSubject: x\r\nMessage-ID: <c@b.de>\r\n"
        b"Content-Type: text/plain; charset=x-unknown-8bit\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe\r\n"
    )
    assert parse_message(raw).reply == "Grüße"


@pytest.mark.parametrize(
    "marker",
    [
        "## Bitte schreiben Sie Ihre Antwort oberhalb dieser Zeile ##",
        "> ## Bitte schreiben Sie Ihre Antwort oberhalb dieser Zeile ##",
        "## Please write your reply above this line ##",
    ],
)
def test_portal_marker_line_cuts(marker):
    text = f"Gern, ich komme.\n\n{marker}\n\nAnna Beispiel schrieb:\nTreffen am Freitag?\n"
    assert reply_text(text) == "Gern, ich komme."


def test_a_heading_of_ones_own_stays():
    assert reply_text("## Unsere Erfahrungen ##\n\nSehr gut.") == "## Unsere Erfahrungen ##\n\nSehr gut."


def test_format_flowed_paragraphs_joined():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@b.de", "reply+x@klimanetz.example", "Re: x"
    msg.set_content(
        "Wir haben das Büro beauftragt, das Angebot lag \n"
        "bei 48.000 Euro.\n"
        " From the start it was clear.\n"
        "\n"
        "Viele Grüße\n"
        "Anna\n"
        "\n"
        "Am 03.12.2026 um 10:15 schrieb Klimanetz:\n"
        "> Eine lange zitierte \n"
        "> Zeile\n"
        "-- \n"
        "Anna Beispiel\n"
    )
    msg.set_param("format", "flowed")
    parsed = parse_message(msg.as_bytes())
    assert parsed.reply == (
        "Wir haben das Büro beauftragt, das Angebot lag bei 48.000 Euro.\nFrom the start it was clear.\n\n"
        "Viele Grüße\nAnna"
    )
    assert "> Eine lange zitierte Zeile" in parsed.text and "\n-- \nAnna Beispiel" in parsed.text


def test_format_flowed_delsp():
    from networks.inbound.parsing import unflow

    assert unflow("Ein langes Wort: Energie \ncontrolling", delsp=True) == "Ein langes Wort: Energiecontrolling"
    assert unflow("Zeile eins\nZeile zwei") == "Zeile eins\nZeile zwei"


def test_huge_bodies_are_bounded():
    import time

    started = time.process_time()
    assert len(reply_text("Von: x\n" * 1_000_000)) <= 100_000
    assert len(html_to_text("<p>Wort</p>" * 1_000_000)) < 2_000_000
    assert time.process_time() - started < 20  # seconds of CPU, generous for a loaded machine: not minutes
