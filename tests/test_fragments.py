"""
Parts of public pages are rendered once and kept (articles.fragments), and never shown
once anything on them has changed: each test reads the pages (so their parts are
stored), changes something the way an editor would, and reads them again.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.utils import timezone
from taggit.models import Tag

from articles import fragments
from articles.models import Article, ArticleRendering, Event
from articles.vocabulary import merge
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db


def read(client, *urls):
    """Each page's HTML, after a first read that stores its parts."""
    pages = []
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return pages if len(pages) > 1 else pages[0]


@pytest.fixture
def story():
    article = make_article(tags=["Harbour"], title="Harbour opens")
    make_quote(article, make_person(name="Ann Speaker"), text="We are open.")
    link_event(article, make_event(name="Harbour Summit", slug="harbour-summit"))
    return article


def stored_parts(article):
    return ArticleRendering.objects.get(article=article)


def test_parts_are_stored_by_the_first_reader_and_served_as_rendered(client, story):
    """The stored page is the page: the second read shows exactly what the first did."""
    first = client.get(story.get_absolute_url()).content.decode()
    rendering = stored_parts(story)
    assert "Harbour opens" in rendering.page and "We are open." in rendering.page
    assert f"article-{story.pk}" in rendering.keys.split()
    assert client.get(story.get_absolute_url()).content.decode() == first
    client.get("/")
    assert "Harbour opens" in stored_parts(story).card


def test_an_edit_shows_at_once_on_the_article_and_in_lists(client, story):
    read(client, story.get_absolute_url(), "/", "/tags/harbour/")
    story.title = "Harbour opens at last"
    story.save()
    page, front, tag = read(client, story.get_absolute_url(), "/", "/tags/harbour/")
    for html in (page, front, tag):
        assert "Harbour opens at last" in html


def test_new_quotes_tags_events_and_corrections_show_at_once(client, story):
    read(client, story.get_absolute_url(), "/")
    make_quote(story, make_person(name="Bo Second"), text="A second voice.")
    story.tags.add("Tides")
    link_event(story, make_event(name="Tides Forum"))
    make_correction(story, text="An earlier version misspelt the harbour.")
    page, front = read(client, story.get_absolute_url(), "/")
    for text in ("A second voice.", "Tides", "Tides Forum", "misspelt the harbour"):
        assert text in page
    assert "/tags/tides/" in front


def test_renamed_tags_people_and_events_show_at_once(client, story):
    read(client, story.get_absolute_url(), "/")
    tag = Tag.objects.get(name="Harbour")
    tag.name = "Harbours"
    tag.save()
    speaker = story.quotes.get().speaker
    speaker.name = "Ann Speaker-Jones"
    speaker.save()
    event = Event.objects.get(name="Harbour Summit")
    event.status = Event.Status.POSTPONED
    event.save()
    page, front = read(client, story.get_absolute_url(), "/")
    assert ">Harbours</a>" in page and ">Harbours</a>" in front
    assert "Ann Speaker-Jones" in page
    assert "Harbour Summit has been postponed." in page


def test_a_renamed_author_changes_the_byline_but_a_login_renders_nothing(client, story):
    writer = make_user("ann.w", first_name="Ann", last_name="Writer")
    story.authors.add(writer)
    assert "By Ann Writer" in read(client, story.get_absolute_url())
    writer.last_login = timezone.now()
    writer.save(update_fields=["last_login"])  # what a login writes
    assert stored_parts(story).page, "a login emptied the article's stored page"
    writer.last_name = "Writer-Smith"
    writer.save()
    assert "By Ann Writer-Smith" in read(client, story.get_absolute_url())


def test_merged_tags_show_the_survivor_at_once(client, story):
    read(client, story.get_absolute_url(), "/")
    survivor = Tag.objects.create(name="Ports", slug="ports")
    merge(survivor, [Tag.objects.get(name="Harbour")])
    page, front = read(client, story.get_absolute_url(), "/")
    assert ">Ports</a>" in page and ">Ports</a>" in front
    assert ">Harbour</a>" not in page and ">Harbour</a>" not in front


def test_a_rendering_begun_before_an_edit_is_never_stored_after_it(client, story):
    """A reader that read the article, then lost the race to an editor, stores nothing."""
    client.get(story.get_absolute_url())
    fragments.everything_stale()
    as_read = fragments.with_rendering(Article.objects.all(), parts=fragments.PAGE_PARTS).get(
        pk=story.pk
    )
    old_head, old_page = fragments.render_page(
        Article.objects.with_public_relations().prefetch_related("corrections").get(pk=story.pk)
    )
    story.title = "Harbour closes"
    story.save()  # the editor's save commits while the reader renders
    fragments.store({story.pk: (fragments.stored(as_read), {"head": old_head, "page": old_page})})
    assert stored_parts(story).page == ""
    page = read(client, story.get_absolute_url())
    assert "Harbour closes" in page and "Harbour opens" not in page


def test_parts_rendered_by_other_templates_are_rendered_again(client, story, monkeypatch):
    read(client, story.get_absolute_url(), "/")
    ArticleRendering.objects.filter(article=story).update(
        page="<h1>From an older release</h1>", card="<li>Older card</li>"
    )
    monkeypatch.setattr(fragments, "VERSION", "a-newer-release")
    page, front = read(client, story.get_absolute_url(), "/")
    assert "From an older release" not in page and "Harbour opens" in page
    assert "Older card" not in front and "Harbour opens" in front
    assert stored_parts(story).version == "a-newer-release"


def test_articles_written_in_bulk_get_their_parts_on_the_second_read(client):
    """Articles without a rendering row (bulk imports) are served, then stored."""
    article = make_article(title="Bulk story")
    ArticleRendering.objects.filter(article=article).delete()
    assert "Bulk story" in client.get(article.get_absolute_url()).content.decode()
    assert stored_parts(article).page == ""  # created empty: nothing rendered before it counts
    assert "Bulk story" in read(client, article.get_absolute_url())
    assert "Bulk story" in stored_parts(article).page


def test_previews_are_rendered_afresh_and_never_stored(admin_client):
    draft = make_article(status=Article.Status.DRAFT, title="Draft harbour story")
    response = admin_client.get(f"/admin/articles/article/{draft.pk}/preview/")
    assert response.status_code == 200
    assert "Draft harbour story" in response.content.decode()
    assert stored_parts(draft).page == ""


def test_a_deleted_account_leaves_the_bylines_of_others(client, story):
    other = make_article(title="Another harbour story", tags=["Harbour"])
    writer = make_user("gone.writer", first_name="Gone", last_name="Writer")
    story.authors.add(writer)
    read(client, story.get_absolute_url(), other.get_absolute_url())
    get_user_model().objects.filter(pk=writer.pk).delete()
    assert "Gone Writer" not in read(client, story.get_absolute_url())
    assert stored_parts(other).page  # untouched


def in_own_connection(work):
    """``work`` for a thread of its own, which closes its database connection when done."""

    def run():
        try:
            work()
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_a_reader_never_waits_for_a_writer_to_store_parts(client):
    """
    While an editor's transaction holds an article's rendering (a row lock on PostgreSQL,
    the whole database on SQLite), a reader of the article is served at once, and stores
    nothing.
    """
    article = make_article(title="Held story")
    fragments.everything_stale()
    editor = connections.create_connection("default")
    editor.set_autocommit(False)
    try:
        with editor.cursor() as cursor:
            if editor.vendor == "postgresql":
                cursor.execute(
                    "SELECT 1 FROM articles_articlerendering WHERE article_id = %s FOR UPDATE",
                    [article.pk],
                )
            else:  # a write transaction (begun IMMEDIATE, see settings) holds the file
                cursor.execute(
                    "UPDATE articles_articlerendering SET keys = keys WHERE article_id = %s",
                    [article.pk],
                )
        served = []
        reader = threading.Thread(
            target=in_own_connection(lambda: served.append(client.get(article.get_absolute_url()))),
            daemon=True,
        )
        reader.start()
        reader.join(timeout=15)
        assert served, "the reader waited for the editor's transaction"
        assert served[0].status_code == 200 and "Held story" in served[0].content.decode()
    finally:
        editor.rollback()
        editor.close()
    assert stored_parts(article).page == ""


def test_more_on_this_shows_a_newly_published_neighbour_at_once(client, story):
    """“More on this” depends on other articles: it is never stored with the page."""
    read(client, story.get_absolute_url())
    make_article(title="Harbour reopens next week", tags=["Harbour"])
    more = read(client, story.get_absolute_url()).split('id="more-heading"')[1]
    assert "Harbour reopens next week" in more


def test_a_correction_moved_to_another_article_leaves_the_first(client, admin_client):
    wrong = make_article(title="Wrong article", tags=["Harbour"])
    right = make_article(title="Right article", tags=["Harbour"])
    correction = make_correction(wrong, text="Filed against the wrong story.")
    assert "Filed against the wrong story." in read(client, wrong.get_absolute_url())
    local = timezone.localtime(correction.published_at)
    response = admin_client.post(
        f"/admin/articles/correction/{correction.pk}/change/",
        {
            "article": right.pk,
            "text": correction.text,
            "published_at_0": local.strftime("%Y-%m-%d"),
            "published_at_1": local.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert "Filed against the wrong story." in read(client, right.get_absolute_url())
    assert "Filed against the wrong story." not in read(client, wrong.get_absolute_url())


def test_an_article_deleted_and_recovered_never_gets_its_old_parts_back(client):
    """A rendering of the article as it was before its deletion is not stored over it."""
    article = make_article(title="Before deletion", tags=["Harbour"])
    pk, slug = article.pk, article.slug
    as_read = fragments.with_rendering(Article.objects.filter(pk=pk), parts=fragments.PAGE_PARTS)
    was = fragments.stored(as_read.get())
    head, page = fragments.render_page(
        Article.objects.with_public_relations().prefetch_related("corrections").get(pk=pk)
    )
    Article.objects.get(pk=pk).delete()
    recovered = make_article(pk=pk, title="Recovered revision", slug=slug, tags=["Harbour"])
    fragments.store({pk: (was, {"head": head, "page": page, "keys": f"article-{pk}"})})
    html = read(client, recovered.get_absolute_url())
    assert "Recovered revision" in html and "Before deletion" not in html


def test_an_article_unpublished_while_a_reader_renders_it_is_not_shown(client, monkeypatch):
    """Unpublished (and rewritten) between the reader's two queries: a 404, not the draft."""
    article = make_article(title="Public headline", body="Public body.")
    fragments.everything_stale()
    render = fragments.article_page

    def editor_unpublishes_meanwhile(found):
        draft = Article.objects.get(pk=found.pk)
        draft.status, draft.body = Article.Status.DRAFT, "EMBARGOED draft text."
        draft.save()
        return render(found)

    monkeypatch.setattr(fragments, "article_page", editor_unpublishes_meanwhile)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "EMBARGOED" not in response.content.decode()


def test_an_article_linked_to_hundreds_of_events_is_served(client):
    """“More on this” is counted over a bounded number of an article's events and tags."""
    article = make_article(title="Many links", tags=["Harbour"])
    for n in range(505):
        link_event(article, make_event(name=f"Meeting {n}", slug=f"meeting-{n}"))
    assert "Many links" in read(client, article.get_absolute_url())


def test_the_version_follows_addresses_but_not_storage_credentials(settings):
    """Servers with their own object-store keys share parts; another URLconf does not."""
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "media", "access_key": "AKIA-ONE", "secret_key": "one"},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    first = fragments.version()
    storage["OPTIONS"] = {**storage["OPTIONS"], "access_key": "AKIA-TWO", "secret_key": "two"}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert fragments.version() == first
    storage["OPTIONS"] = {**storage["OPTIONS"], "custom_domain": "media.example.org"}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert fragments.version() != first
    settings.FORCE_SCRIPT_NAME = "/news"
    assert fragments.version() != first


@pytest.mark.django_db(transaction=True)
def test_an_event_postponed_while_another_editor_links_it_shows_on_the_article(client):
    """
    PostgreSQL, two editors at once: one postpones an event, the other links a story to
    it. Whichever commits first, the story's page shows the event postponed afterwards.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time")
    event = make_event(name="Harbour Summit", slug="harbour-summit")
    story = make_article(title="Linked during the change", tags=["Tides"])
    changed, release, errors = threading.Event(), threading.Event(), []

    def editor_postpones():
        try:
            with transaction.atomic():
                postponed = Event.objects.get(pk=event.pk)
                postponed.status = Event.Status.POSTPONED
                postponed.save()
                changed.set()
                release.wait(10)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=editor_postpones)
    first.start()
    assert changed.wait(10)
    linker = threading.Thread(
        target=in_own_connection(lambda: link_event(story, event)), daemon=True
    )
    linker.start()
    linker.join(10)  # the second editor's link commits first
    client.get(story.get_absolute_url())  # a reader stores the page meanwhile
    client.get(story.get_absolute_url())
    release.set()
    first.join(10)
    assert not errors, errors
    assert "Harbour Summit has been postponed." in read(client, story.get_absolute_url())


def test_a_reader_in_another_language_never_changes_the_stored_parts(client):
    """Parts are kept for every reader: rendered in the article's language, whoever asks
    first, so parts rendered while French is active never show French labels to English
    readers (an editor's preview in French, a French page listing it)."""
    from django.utils import translation

    article = make_article(title="Summit in Brussels", tags=["Summits"])
    make_quote(article)
    with translation.override("fr"):
        _head, page = fragments.render_page(
            Article.objects.with_public_relations().select_related("live").get(pk=article.pk)
        )
        card = fragments.render_card(article)
    assert "Who said what" in page and "Qui a dit quoi" not in page
    assert "Summit in Brussels" in card and "/fr/" not in card
    english = client.get(article.get_absolute_url()).content.decode()
    assert "Who said what" in english and "Qui a dit quoi" not in english
    assert "Skip to content" in english
