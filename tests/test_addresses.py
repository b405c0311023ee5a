"""Addresses remembered per process are exactly what reverse() gives."""

import datetime

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from articles.addresses import (
    article_url,
    event_url,
    person_url,
    site_urls,
    tag_calendar_url,
    tag_feed_url,
    tag_url,
)


@pytest.fixture(params=["/", "/news/"])
def script_prefix(request):
    set_script_prefix(request.param)
    yield request.param
    clear_script_prefix()


@pytest.mark.parametrize(
    "date", [datetime.date(2025, 3, 18), datetime.date(2026, 11, 5), datetime.date(999, 1, 1)]
)
def test_an_article_address_is_what_reverse_gives(script_prefix, date):
    for slug in ["talks-resume", "a", "uk-eu-summit-2"]:
        expected = reverse(
            "articles:article",
            kwargs={"year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}", "slug": slug},
        )
        assert article_url(date, slug) == expected
        assert expected.startswith(script_prefix)


@pytest.mark.parametrize("slugs", ["ukraine", "zürich", "ukraine+sanctions", "über+zürich"])
def test_a_tag_address_is_what_reverse_gives(script_prefix, slugs):
    assert tag_url(slugs) == reverse("articles:tag", args=[slugs])
    assert tag_url(slugs).startswith(script_prefix)


@pytest.mark.parametrize("slug", ["ukraine", "zürich"])
def test_a_tag_s_feed_and_calendar_addresses_are_what_reverse_gives(script_prefix, slug):
    assert tag_feed_url(slug) == reverse("articles:tag_feed", kwargs={"slug": slug})
    assert tag_calendar_url(slug) == reverse("articles:tag_events_calendar", kwargs={"slug": slug})
    assert tag_feed_url(slug).startswith(script_prefix)


def test_the_script_prefix_of_each_request_is_used():
    set_script_prefix("/one/")
    first = tag_url("ukraine"), article_url(datetime.date(2025, 3, 18), "talks")
    set_script_prefix("/two/")
    second = tag_url("ukraine"), article_url(datetime.date(2025, 3, 18), "talks")
    clear_script_prefix()
    assert first == ("/one/tags/ukraine/", "/one/articles/2025/03/18/talks/")
    assert second == ("/two/tags/ukraine/", "/two/articles/2025/03/18/talks/")


def test_day_time_and_iso_time_are_what_the_date_filter_gives(settings):
    from django.template import Context, Template
    from django.utils import timezone, translation

    settings.TIME_ZONE = "Europe/London"
    moments = [
        datetime.datetime(2025, 3, 18, 23, 30, tzinfo=datetime.UTC),  # 18 March in London
        datetime.datetime(2025, 7, 18, 23, 30, tzinfo=datetime.UTC),  # 19 July, summer time
        datetime.datetime(2025, 1, 2, 9, 5, 7, 123456, tzinfo=datetime.UTC),
    ]
    mine = Template("{% load newsroom %}{{ moment|day_time }} {{ moment|iso_time }}")
    django = Template(
        """<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j F Y" }}</time> """
        """{{ moment|date:'c' }}"""
    )
    for language in ["en", "de"]:
        with translation.override(language), timezone.override("Europe/London"):
            for moment in moments:
                context = Context({"moment": moment})
                assert mine.render(context) == django.render(context)


@pytest.mark.parametrize("slug", ["uk-eu-summit-2025", "berlin-process-2", "a"])
def test_event_and_person_addresses_are_what_reverse_gives(script_prefix, slug):
    assert event_url(slug) == reverse("articles:event", kwargs={"slug": slug})
    assert person_url(slug) == reverse("articles:person", kwargs={"slug": slug})
    assert event_url(slug).startswith(script_prefix)


def test_the_site_s_own_addresses_are_what_reverse_gives(script_prefix):
    for name, url in site_urls().items():
        assert url == reverse(f"articles:{name}")


@pytest.mark.django_db
def test_a_tag_page_served_under_a_prefix_links_its_feed_and_calendar_there(client, settings):
    from tests.factories import make_article

    make_article(tags=["Ukraine"], title="Talks resume")
    # Django remembers the prefixed static and media addresses, and the storages made with
    # them, until these settings change: changed here, they are forgotten after the test.
    settings.STATIC_URL, settings.MEDIA_URL = "static/", "media/"
    # The test client does not set the prefix from SCRIPT_NAME as the WSGI handler does.
    set_script_prefix("/news/")
    try:
        page = client.get("/tags/ukraine/").content.decode()
    finally:
        clear_script_prefix()
    assert 'href="/news/tags/ukraine/feed/"' in page
    assert 'href="/news/tags/ukraine/events.ics"' in page
    assert 'href="/tags/' not in page
