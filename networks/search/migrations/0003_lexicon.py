"""PostgreSQL: every lexeme of the index in a table of its own, so that a prefix ("Wärme" also finds
"Wärmepumpe") becomes the few lexemes it stands for (networks.search.backends).

A prefix in a tsquery ('warm':*) makes the GIN index collect every item of every lexeme starting with it into a
bitmap before anything else is read: two such words cost ~8 ms at 200,000 items where the same words written out
cost ~1.4 ms, and the bitmap grows with the index. The lexicon is kept by two statement triggers on the index
(insert and update, with their transition tables); a lexeme no entry holds any more stays (it finds nothing and
costs nothing). SQLite's FTS5 has no such cost: nothing there.
"""

from django.db import migrations

POSTGRESQL = [
    'CREATE TABLE search_lexeme (word text COLLATE "C" PRIMARY KEY)',
    """CREATE OR REPLACE FUNCTION search_lexicon_add() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO search_lexeme (word)
           SELECT DISTINCT unnest(tsvector_to_array(document)) FROM changed
           ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER search_lexicon_insert AFTER INSERT ON search_searchentry
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_add()""",
    """CREATE TRIGGER search_lexicon_update AFTER UPDATE ON search_searchentry
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_lexicon_add()""",
    """INSERT INTO search_lexeme (word)
       SELECT DISTINCT unnest(tsvector_to_array(document)) FROM search_searchentry ON CONFLICT DO NOTHING""",
    "ANALYZE search_lexeme",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_lexicon_update ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_lexicon_insert ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_lexicon_add()",
    "DROP TABLE IF EXISTS search_lexeme",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_newest")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL}),
            _run({"postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
