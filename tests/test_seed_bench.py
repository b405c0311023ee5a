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
