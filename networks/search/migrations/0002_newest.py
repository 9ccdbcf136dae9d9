"""The newest hits first: the candidates of a search are walked in this order (networks.search.backends).

PostgreSQL takes NULLS LAST in an index; SQLite does not (its index puts NULLs where its ORDER BY expects them)."""

from django.db import migrations

SQL = {
    "postgresql": (
        "CREATE INDEX search_entry_newest ON search_searchentry (date DESC NULLS LAST, id DESC)",
        "DROP INDEX IF EXISTS search_entry_newest",
    ),
    "sqlite": (
        "CREATE INDEX search_entry_newest ON search_searchentry (date IS NULL, date DESC, id DESC)",
        "DROP INDEX IF EXISTS search_entry_newest",
    ),
}


def _run(position: int):
    def run(apps, schema_editor):
        statements = SQL.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[position])

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(_run(0), _run(1))]
