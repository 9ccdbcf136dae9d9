"""The static pages: the accessibility statement and the easy-read page, linked from every page's footer."""

from django.urls import reverse

from tests.helpers import de


def test_easy_read_page_is_linked_from_every_page_and_explains_the_portal_in_short_sentences(client, personas):
    home = client.get(reverse("networks:home")).content.decode()
    assert reverse("networks:easy-read") in home.split('class="site-footer"')[1]
    page = client.get(reverse("networks:easy-read")).content.decode()
    for sentence in ("Klimanetz is a website.", "An account is free of charge.", "What is already done?"):
        assert de(sentence) in page
    for target in ("networks:network-list", "events:event-list", "measures:roadmap-list", "account_signup"):
        assert reverse(target) in page


def test_accessibility_statement_names_how_it_is_tested_and_what_is_missing(client):
    page = client.get(reverse("networks:accessibility")).content.decode()
    assert "axe-core" in page and "390" in page
    assert reverse("networks:easy-read") in page
