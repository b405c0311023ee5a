"""Old addresses of articles: an article readers knew at one address answers there with a 301."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleAddress
from articles.roles import EDITORS
from tests.factories import make_article, make_user
from tests.test_desk_preview import form_values, preview_url
from tests.test_editorial import change_url, form_data

pytestmark = pytest.mark.django_db

# Noon, so that the local date of publication is the day written in the address.
MARCH_18 = timezone.make_aware(datetime.datetime(2025, 3, 18, 12))
MARCH_19 = MARCH_18 + datetime.timedelta(days=1)


@pytest.fixture
def editor():
    user = make_user("edna", is_staff=True, first_name="Edna")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def talks():
    return make_article(title="Talks resume", slug="talks", published_at=MARCH_18, tags=["UK"])


def rename(article, **changes):
    """Save ``article`` with ``changes``, as any code path does (the importer, a shell)."""
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return article


def save_in_admin(client, article, **changes):
    response = client.post(change_url(article), form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, new_url)
    assert client.get(new_url).status_code == 200


def test_a_published_article_renamed_in_the_admin_answers_at_its_old_address(
    editor_client, client, talks
):
    save_in_admin(editor_client, talks, slug="talks-in-london")
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/18/talks-in-london/")


def test_the_redirect_keeps_the_query_string(client, talks):
    rename(talks, slug="talks-in-london")
    response = client.get("/articles/2025/03/18/talks/?utm_source=social")
    assert response["Location"] == "/articles/2025/03/18/talks-in-london/?utm_source=social"


def test_renamed_twice_both_old_addresses_lead_to_the_current_one_in_one_hop(client, talks):
    rename(talks, slug="talks-in-london")
    rename(talks, slug="london-talks")
    for old in ("talks", "talks-in-london"):
        assert_moved(client, f"/articles/2025/03/18/{old}/", "/articles/2025/03/18/london-talks/")


def test_a_new_publication_date_moves_the_article_and_the_old_date_redirects(client, talks):
    rename(talks, published_at=MARCH_19)
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/19/talks/")


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Article.Status.DRAFT, None),
        (Article.Status.DRAFT, MARCH_18),
        (Article.Status.IN_REVIEW, MARCH_18),
        # Scheduled: readers have not seen it at any address yet.
        (Article.Status.PUBLISHED, timezone.now() + datetime.timedelta(days=1)),
    ],
)
def test_an_article_renamed_before_readers_saw_it_keeps_nothing(client, status, published_at):
    article = make_article(slug="first-idea", status=status, published_at=published_at)
    old_url = article.get_absolute_url()
    rename(article, slug="better-idea")
    rename(article, status=Article.Status.PUBLISHED, published_at=MARCH_18)
    assert not ArticleAddress.objects.exists()
    assert client.get(old_url).status_code == 404
    assert client.get("/articles/2025/03/18/better-idea/").status_code == 200


def test_the_old_and_current_addresses_of_an_unpublished_article_answer_404(editor, client, talks):
    rename(talks, slug="talks-in-london")
    services.unpublish(talks, editor)
    assert client.get("/articles/2025/03/18/talks/").status_code == 404
    assert client.get("/articles/2025/03/18/talks-in-london/").status_code == 404
    services.publish(talks, editor)
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/18/talks-in-london/")


def test_a_story_pulled_renamed_and_published_again_answers_at_its_old_address(
    editor, client, talks
):
    services.unpublish(talks, editor)
    rename(talks, slug="talks-corrected")
    services.publish(talks, editor)
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/18/talks-corrected/")


def test_a_new_article_at_an_old_address_serves_itself(client, talks):
    rename(talks, slug="talks-resume")
    rename(talks, slug="talks-in-london")
    newer = make_article(title="Other talks", slug="talks", published_at=MARCH_18)
    response = client.get("/articles/2025/03/18/talks/")
    assert response.status_code == 200
    assert response.context["article"] == newer
    # The old article's other old address still leads to it.
    assert_moved(
        client, "/articles/2025/03/18/talks-resume/", "/articles/2025/03/18/talks-in-london/"
    )


def test_an_address_left_by_two_articles_leads_to_the_last_to_leave_it(client, talks):
    rename(talks, slug="talks-in-london")
    newer = make_article(slug="talks", published_at=MARCH_18)
    rename(newer, slug="other-talks")
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/18/other-talks/")


def test_an_article_back_at_an_old_address_is_served_there_and_redirects_from_the_other(
    client, talks
):
    rename(talks, slug="talks-in-london")
    rename(talks, slug="talks")
    assert client.get("/articles/2025/03/18/talks/").status_code == 200
    assert_moved(client, "/articles/2025/03/18/talks-in-london/", "/articles/2025/03/18/talks/")
    assert [a.slug for a in talks.old_addresses.all()] == ["talks-in-london"]


def test_a_redirect_never_leads_to_another_article(client, talks):
    """Another article with the same slug on another day, and one gone, keep their own."""
    namesake = make_article(slug="talks", published_at=MARCH_19)
    rename(talks, slug="talks-in-london")
    response = client.get("/articles/2025/03/19/talks/")
    assert (response.status_code, response.context["article"]) == (200, namesake)
    assert client.get("/articles/2025/03/18/talks/")["Location"].endswith("/talks-in-london/")
    talks.delete()
    assert client.get("/articles/2025/03/18/talks/").status_code == 404
    assert not ArticleAddress.objects.exists()


def test_restoring_an_earlier_revision_in_the_admin_moves_the_article_back(editor_client, talks):
    save_in_admin(editor_client, talks, title="Talks resume")  # the revision to go back to
    original = Version.objects.get_for_object(talks).first()
    save_in_admin(editor_client, talks, slug="talks-botched")

    revision_url = reverse("admin:articles_article_revision", args=[talks.pk, original.pk])
    form = editor_client.get(revision_url)
    assert form.status_code == 200
    data = form_data(Article.objects.get(pk=talks.pk), slug="talks")
    data["base_version"] = form.context["adminform"].form["base_version"].value()
    assert editor_client.post(revision_url, data).status_code == 302

    editor_client.logout()
    assert editor_client.get("/articles/2025/03/18/talks/").status_code == 200
    assert_moved(
        editor_client, "/articles/2025/03/18/talks-botched/", "/articles/2025/03/18/talks/"
    )
    assert [a.slug for a in ArticleAddress.objects.all()] == ["talks-botched"]


def test_the_article_page_asks_for_old_addresses_only_when_it_finds_no_article(client, talks):
    rename(talks, slug="talks-in-london")
    for url, status in [
        ("/articles/2025/03/18/talks-in-london/", 200),
        ("/articles/2025/03/18/talks/", 301),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == status
        asked = [q["sql"] for q in queries if ArticleAddress._meta.db_table in q["sql"]]
        assert len(asked) == (status == 301), asked


def test_a_cached_page_at_the_old_address_gives_way_to_the_redirect(
    settings, client, django_capture_on_commit_callbacks, talks
):
    settings.PAGE_CACHE_SECONDS = 60
    for _ in range(2):  # stored on the first reading, or the second where keys were new
        client.get("/articles/2025/03/18/talks/")
    assert client.get("/articles/2025/03/18/talks/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        rename(talks, slug="talks-in-london")
    assert_moved(client, "/articles/2025/03/18/talks/", "/articles/2025/03/18/talks-in-london/")


def test_sitemaps_and_feeds_give_only_the_current_address(client):
    article = make_article(slug="talks")  # published an hour ago: in the news sitemap too
    day = f"{timezone.localdate(article.published_at):%Y/%m/%d}"
    rename(article, slug="talks-in-london")
    for url in ["/sitemap-articles.xml", "/sitemap-news.xml", "/feeds/latest/"]:
        content = client.get(url).content.decode()
        assert f"/{day}/talks-in-london/" in content, url
        assert f"/{day}/talks/" not in content, url


def test_the_article_form_lists_the_old_addresses(editor_client, talks):
    rename(talks, slug="talks-in-london")
    html = editor_client.get(change_url(talks)).content.decode()
    assert "<li>/articles/2025/03/18/talks/</li>" in html
    assert "Each redirects to the current address while the article is published." in html


def test_the_checklist_warns_that_a_published_article_s_old_address_will_redirect(
    editor_client, talks
):
    response = editor_client.post(preview_url(talks), form_values(talks, slug="talks-in-london"))
    checklist = response.json()["checklist"]
    assert (
        "The address changes from /articles/2025/03/18/talks/ to "
        "/articles/2025/03/18/talks-in-london/. The old address will redirect here."
    ) in checklist
    unchanged = editor_client.post(preview_url(talks), form_values(talks)).json()["checklist"]
    assert "will redirect here" not in unchanged


def test_the_checklist_of_a_draft_says_nothing_of_redirects(editor_client):
    draft = make_article(slug="draft", status=Article.Status.DRAFT, published_at=MARCH_18)
    response = editor_client.post(preview_url(draft), form_values(draft, slug="draft-two"))
    assert "will redirect here" not in response.json()["checklist"]
