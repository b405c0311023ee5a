"""manage.py publish_due: scheduled articles that came due are announced, once."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def publish_due(*args):
    out = StringIO()
    call_command("publish_due", *args, stdout=out)
    return out.getvalue()


def came_due(title, minutes_ago, scheduled_minutes_before=30):
    """An article scheduled some time ago that became public ``minutes_ago`` by time alone."""
    article = make_article(title=title, published_at=timezone.now() + datetime.timedelta(days=1))
    now = timezone.now()
    # As if time had passed: no save, so no signal has renewed anything.
    Article.objects.filter(pk=article.pk).update(
        published_at=now - datetime.timedelta(minutes=minutes_ago),
        updated_at=now - datetime.timedelta(minutes=minutes_ago + scheduled_minutes_before),
    )
    return Article.objects.get(pk=article.pk)


def test_a_scheduled_article_that_came_due_shows_on_cached_pages_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article(
        title="Summit communiqué", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert "Summit communiqué" not in client.get("/").content.decode()
    client.get("/")  # stored for good once its keys have versions
    assert client.get("/")["X-Cache"] == "hit"
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        published_at=now - datetime.timedelta(minutes=1),
        updated_at=now - datetime.timedelta(hours=2),
    )
    assert "Summit communiqué" not in client.get("/").content.decode()  # the cached page

    with django_capture_on_commit_callbacks(execute=True):
        output = publish_due()
    assert "1 scheduled article(s) came due since" in output
    assert "Summit communiqué" in output and article.get_absolute_url() in output
    assert "Summit communiqué" in client.get("/").content.decode()


def test_each_article_is_announced_once_and_only_scheduled_public_ones():
    came_due("Due a minute ago", 1)
    make_article(title="Published straight away")  # its save renewed the pages already
    make_article(title="Still scheduled", published_at=timezone.now() + datetime.timedelta(hours=1))
    draft = came_due("A draft again", 1)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    edited = came_due("Edited once due", 5)
    Article.objects.filter(pk=edited.pk).update(updated_at=timezone.now())  # saved since

    output = publish_due()
    assert "Due a minute ago" in output
    for title in ["Published straight away", "Still scheduled", "A draft again", "Edited once due"]:
        assert title not in output
    assert "No scheduled article came due since" in publish_due()  # the last run is remembered


def test_the_first_run_looks_back_an_hour_and_since_looks_further():
    came_due("Due three hours ago", 180)
    assert "No scheduled article came due" in publish_due()
    assert "Due three hours ago" in publish_due("--since", "240")


def test_since_leaves_the_last_run_alone():
    publish_due()  # sets the mark
    came_due("Due just now", 0)
    assert "Due just now" in publish_due("--since", "5")
    assert "Due just now" in publish_due()  # the regular run still finds it


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_bad_window_is_refused_with_a_clear_message(value):
    with pytest.raises(CommandError, match="--since takes a number of minutes above zero"):
        publish_due("--since", value)
