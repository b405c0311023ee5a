"""A live article's pages run as many queries with twelve updates as with two."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.fragments import everything_stale
from articles.live import services
from tests.factories import make_article, make_person, make_user

pytestmark = pytest.mark.django_db


class Coverage:
    def __init__(self, editor):
        self.editor = editor
        self.article = make_article(tags=["Summit"], title="Summit live", slug="summit-live")
        services.make_live(self.article, editor)
        self.n = 0
        self.post(2)

    def post(self, count):
        for _ in range(count):
            self.n += 1
            author = make_user(first_name="Writer", last_name=str(self.n), is_staff=True)
            author.groups.set(self.editor.groups.all())
            self.article.authors.add(author)
            quotes = [
                (make_person(name=f"Speaker {self.n}-{i}"), "", f"Remark {self.n}-{i}.")
                for i in (1, 2)
            ]
            services.post_update(
                self.article,
                author,
                f"Update number {self.n}.",
                quotes=quotes,
                is_key_event=self.n % 2 == 0,
                is_pinned=self.n % 5 == 0,
            )


def queries_of(client, url):
    everything_stale()
    with CaptureQueriesContext(connection) as rendering:
        first = client.get(url)
    with CaptureQueriesContext(connection) as stored:
        second = client.get(url)
    assert first.status_code == second.status_code == 200, url
    return len(rendering), len(stored), second.content.decode()


@pytest.mark.parametrize(
    "tail",
    ["", "updates/", "updates/feed/"],
    ids=["page", "polling fragment", "feed"],
)
def test_live_pages_run_the_same_queries_however_many_updates(client, editor, tail):
    """Guards the N+1 on each update's author, quotes and their speakers."""
    coverage = Coverage(editor)
    url = coverage.article.get_absolute_url() + tail
    client.get(url)
    small = queries_of(client, url)
    coverage.post(10)
    big = queries_of(client, url)
    assert "Update number 12." in big[2] and ("Remark 12-2." in big[2] or tail == "updates/feed/")
    assert big[:2] == small[:2], (small[:2], big[:2])


def test_the_api_lists_updates_in_the_same_queries_however_many(client, editor):
    coverage = Coverage(editor)
    url = f"/api/articles/{coverage.article.pk}/updates/"
    small = queries_of(client, url)
    coverage.post(10)
    big = queries_of(client, url)
    assert "Remark 12-2." in big[2] and big[:2] == small[:2]


def test_the_updates_admin_list_runs_the_same_queries_however_many(client, editor):
    """Guards the N+1 on each listed update's article and author."""
    coverage = Coverage(editor)
    client.force_login(editor)
    url = "/admin/articles/liveupdate/"
    small = queries_of(client, url)
    coverage.post(10)
    big = queries_of(client, url)
    assert "Update number 12." in big[2] and big[:2] == small[:2]


def test_the_articles_admin_page_runs_the_same_queries_however_many_updates(client, editor):
    """
    Guards the N+1 on the recent updates listed under the post form: past the
    RECENT_UPDATES shown (each with its edit form), more updates cost nothing.
    """
    from articles.live.admin import RECENT_UPDATES

    coverage = Coverage(editor)
    coverage.post(RECENT_UPDATES)
    client.force_login(editor)
    url = f"/admin/articles/article/{coverage.article.pk}/change/"
    small = queries_of(client, url)
    coverage.post(10)
    big = queries_of(client, url)
    assert f"Update number {coverage.n}." in big[2]
    assert big[1] == small[1], (small[:2], big[:2])
