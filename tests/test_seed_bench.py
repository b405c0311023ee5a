import pytest
from django.core.management import CommandError, call_command

from articles.markdown import render_markdown
from articles.models import Article, ArticleEvent, Quote, TaggedArticle

pytestmark = pytest.mark.django_db


def test_seed_bench_makes_articles_in_realistic_proportions(client):
    call_command("seed_bench", "--articles", "300")
    assert Article.objects.filter(slug__startswith="bench-").count() == 300
    assert Quote.objects.count() == 600
    assert ArticleEvent.objects.count() == 300
    assert 4 * 300 <= TaggedArticle.objects.count() <= 5 * 300
    published = Article.objects.published().count()
    assert 250 < published < 300  # a few drafts and scheduled ones, as in a real archive
    article = Article.objects.published().first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.title in html
    assert client.get("/").status_code == 200
    for body, body_html in Article.objects.values_list("body", "body_html")[:50]:
        assert body_html == render_markdown(body)  # built directly, as Markdown renders it


def test_seed_bench_refuses_nonsense_and_production(settings):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_bench", "--articles", "0")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not in production"):
        call_command("seed_bench", "--articles", "10")


def test_after_seeding_the_planner_reads_a_tags_newest_articles_from_an_index():
    """Planner statistics are refreshed (ANALYZE): without them SQLite sorted the whole
    archive to find a tag's newest articles."""
    from django.db import connection
    from taggit.models import Tag

    call_command("seed_bench", "--articles", "300")
    tag = Tag.objects.filter(slug__startswith="bench-").first()
    newest = Article.objects.published().with_all_tags([tag]).order_by("-pk").values("pk")
    sql, params = newest[:1000].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert cursor.fetchone()[0] > 0
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan
        else:
            cursor.execute(
                "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname = 'articles_article'"
            )
            assert cursor.fetchone()[0]


def test_the_front_pages_count_reads_the_index_alone():
    """Counting a language's public articles (“1000+ articles”) reads no article itself:
    with the language outside the index, every counted article was read from the table."""
    plans = plans_of_seeded_page("/", "SELECT COUNT(*)")
    assert plans and all("COVERING INDEX" in plan for plan in plans), plans


def test_the_sitemap_index_dates_the_archive_from_the_index_alone():
    """The latest edit of a public article (the articles section's date) reads no article
    itself: read from the table, it took 300 ms of the index's 370 at 100,000 articles."""
    plans = plans_of_seeded_page("/sitemap.xml", 'SELECT MAX("articles_article"."updated_at")')
    assert plans and all("COVERING INDEX" in plan for plan in plans), plans


def plans_of_seeded_page(path, start):
    """SQLite's plans for the statements of ``path`` that start with ``start``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans are read here; PostgreSQL chooses by its statistics")
    call_command("seed_bench", "--articles", "300")
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for sql in [q["sql"] for q in queries if q["sql"].startswith(start)]:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    return plans
