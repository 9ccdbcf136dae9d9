"""networks.seo.describe: the plain text of Markdown or HTML, cut at a word boundary."""

from networks.seo import absolute, describe, is_tracking


def test_markdown_becomes_plain_text():
    text = "## Wärme\n\nDie **kommunale** [Wärmeplanung](https://example.org) für _alle_ Gemeinden.\n\n- eins\n- zwei"
    assert describe(text) == "Wärme Die kommunale Wärmeplanung für alle Gemeinden. eins zwei"


def test_html_becomes_plain_text_with_entities_resolved():
    assert describe("<p>Rad &amp; Fuß</p><p>Weg</p><script>x</script>") == "Rad & Fuß Weg x"


def test_cut_at_a_word_boundary_with_an_ellipsis():
    text = "Wort " * 100
    result = describe(text, limit=42)
    assert len(result) <= 42 and result.endswith("Wort…") and "Wo…" not in result


def test_short_and_empty_text():
    assert describe("Kurz.") == "Kurz."
    assert describe("") == describe(None) == ""


def test_a_single_long_word_is_cut_hard():
    assert describe("x" * 500, limit=20) == "x" * 19 + "…"


def test_absolute_uses_site_url(settings):
    settings.SITE_URL = "https://klimanetz.example"
    assert absolute("/a/") == "https://klimanetz.example/a/"
    assert absolute("https://other.example/x") == "https://other.example/x"


def test_tracking_parameters():
    assert all(is_tracking(key) for key in ("utm_source", "UTM_Medium", "fbclid", "gclid", "mtm_campaign"))
    assert not any(is_tracking(key) for key in ("page", "sector", "q"))
