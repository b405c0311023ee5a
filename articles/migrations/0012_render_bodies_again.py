"""
Render every stored body again with the renderer as it is now: bodies nested past its
limit had lost the text after the deep part, and images written in Markdown had lost
their text, in the HTML readers are served. Only bodies whose HTML changes are written.
"""

from django.db import migrations

BATCH = 500


def render_again(apps, schema_editor):
    from articles.markdown import render_markdown

    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).order_by("pk")
    changed = []
    for article in articles.only("pk", "body", "body_html").iterator(chunk_size=BATCH):
        html = render_markdown(article.body)
        if html != article.body_html:
            article.body_html = html
            changed.append(article)
        if len(changed) >= BATCH:
            articles.bulk_update(changed, ["body_html"])
            changed = []
    if changed:
        articles.bulk_update(changed, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_article_id_publication")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
