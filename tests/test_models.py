import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Event
from tests.factories import make_article, make_event, make_person, make_quote

pytestmark = pytest.mark.django_db

MARCH_18 = datetime.datetime(2025, 3, 18, 9, 0, tzinfo=datetime.UTC)


def test_two_articles_cannot_share_a_slug_on_the_same_day():
    """The URL /articles/yyyy/mm/dd/slug/ must name one article."""
    make_article(slug="talks", published_at=MARCH_18)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="talks", published_at=MARCH_18 + datetime.timedelta(hours=3))


def test_the_same_slug_is_fine_on_another_day():
    make_article(slug="talks", published_at=MARCH_18)
    other = make_article(slug="talks", published_at=MARCH_18 + datetime.timedelta(days=1))
    assert other.get_absolute_url() == "/articles/2025/03/19/talks/"


def test_drafts_without_a_date_may_share_a_slug():
    make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    assert Article.objects.filter(slug="draft").count() == 2


def test_publication_date_is_the_local_date_of_publication():
    """Half past midnight in London in summer is still the previous day in UTC."""
    published_at = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)
    article = make_article(slug="late", published_at=published_at)
    assert article.publication_date == datetime.date(2025, 7, 1)
    assert article.get_absolute_url() == "/articles/2025/07/01/late/"


def test_full_clean_reports_a_slug_clash_on_the_same_day():
    make_article(slug="talks", published_at=MARCH_18)
    clash = Article(title="Other", slug="talks", status="published", published_at=MARCH_18)
    with pytest.raises(ValidationError, match="same day already uses this slug"):
        clash.full_clean(exclude=["publication_date"])


def test_a_published_article_needs_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Article.Status.PUBLISHED, published_at=None)


def test_publishing_through_a_form_fills_in_the_time():
    article = Article(title="Breaking", slug="breaking", status=Article.Status.PUBLISHED)
    article.full_clean()
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_quote_positions_are_unique_within_an_article():
    article = make_article()
    make_quote(article, position=1)
    make_quote(make_article(), position=1)  # another article may use position 1
    with pytest.raises(IntegrityError), transaction.atomic():
        make_quote(article, position=1)


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(starts_on=datetime.date(2025, 5, 19), ends_on=datetime.date(2025, 5, 18))


def test_an_event_may_end_on_the_day_it_starts_or_later():
    make_event(starts_on=datetime.date(2025, 5, 19), ends_on=datetime.date(2025, 5, 19))
    make_event(starts_on=datetime.date(2025, 5, 19), ends_on=datetime.date(2025, 5, 20))
    assert Event.objects.count() == 2


def test_full_clean_explains_an_event_ending_before_it_starts():
    event = Event(name="Backwards", starts_on=datetime.date(2025, 5, 19))
    event.ends_on = datetime.date(2025, 5, 1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        event.full_clean()


def test_slugs_are_unique_and_filled_in_from_the_name():
    first = make_person(name="David Lammy")
    second = make_person(name="David Lammy")
    assert (first.slug, second.slug) == ("david-lammy", "david-lammy-2")
    summit = make_event(name="UK–EU Summit")
    assert summit.slug == "uk-eu-summit"


def test_body_markdown_is_rendered_and_sanitized_on_save():
    article = make_article(
        body="Hello **world**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        '<a href="javascript:alert(2)" onclick="alert(3)">y</a>'
    )
    assert "<strong>world</strong>" in article.body_html
    assert "<script" not in article.body_html
    assert "<a " not in article.body_html
    assert "&lt;a href=" in article.body_html  # shown as text, never as a link


def test_byline_joins_author_names():
    from tests.factories import make_user

    article = make_article()
    article.authors.add(
        make_user(first_name="Ann", last_name="Reporter"),
        make_user(first_name="Bob", last_name="Writer"),
    )
    article = Article.objects.prefetch_related("authors").get(pk=article.pk)
    assert article.byline in {"Ann Reporter and Bob Writer", "Bob Writer and Ann Reporter"}
