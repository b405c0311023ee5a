from django.db import migrations


def create_sqlite_index(apps, schema_editor):
    """An FTS5 index of headline, standfirst, body and quotes, on SQLite only."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
        "title, standfirst, body, quotes, tokenize = 'unicode61 remove_diacritics 2')"
    )
    from articles.models import Article
    from articles.search import update_search_documents

    update_search_documents(Article.objects.all())


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS article_search")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_api_tokens"),
    ]

    operations = [
        migrations.RunPython(create_sqlite_index, drop_sqlite_index),
    ]
