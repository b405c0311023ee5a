"""Live coverage: posting updates, what readers see of them, and what each change renews."""

import datetime
import json
import re

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from articles import invalidation
from articles.live import services
from articles.live.models import LiveCoverage, LiveUpdate
from articles.models import Article, Quote
from tests.factories import link_event, make_article, make_event, make_person, make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(writer):
    """A published live article written by the writer."""
    article = make_article(tags=["Summit"], title="Summit live", slug="summit-live")
    article.authors.add(writer)
    services.make_live(article)
    return article


def post(article, user, body="Leaders arrive.", **fields):
    return services.post_update(article, user, body, **fields)


def jsonld_of(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


# Who may post


def test_an_author_posts_to_their_live_article_without_touching_the_article(live, writer):
    """Posting writes no article row: open article forms stay valid for everyone."""
    before = Article.objects.values_list("edit_version", "updated_at").get(pk=live.pk)
    update = post(live, writer)
    assert update.author == writer and update.body_html == "<p>Leaders arrive.</p>\n"
    assert Article.objects.values_list("edit_version", "updated_at").get(pk=live.pk) == before


def test_a_writer_cannot_post_to_someone_elses_live_article(live, other_writer):
    with pytest.raises(PermissionDenied):
        post(live, other_writer)
    assert not LiveUpdate.objects.exists()


def test_a_writer_cannot_post_once_coverage_is_closed_but_an_editor_can(live, writer, editor):
    services.close(live, editor, summary="It is over.")
    with pytest.raises(PermissionDenied):
        post(live, writer)
    assert post(live, editor, "A late correction of the record.").pk


def test_nobody_posts_to_an_article_that_is_not_live(editor):
    with pytest.raises(PermissionDenied):
        post(make_article(), editor)


def test_only_editors_make_articles_live_or_close_them(writer, editor):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.make_live(article, writer)
    coverage = services.make_live(article, editor)
    assert coverage.is_open and article.status == Article.Status.DRAFT  # still a draft
    with pytest.raises(PermissionDenied):
        services.close(article, writer)


def test_make_live_without_a_user_is_for_the_newsrooms_own_code():
    """The planning desk makes a draft live when it assigns live coverage."""
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    coverage = services.make_live(article)
    assert services.make_live(article) == coverage  # live already: nothing changes
    services.close(article)
    reopened = services.make_live(article)
    assert reopened.is_open and reopened.ends_at is None


def test_a_writer_edits_only_their_own_updates(live, writer, other_writer, editor):
    live.authors.add(other_writer)
    theirs = post(live, other_writer)
    with pytest.raises(PermissionDenied):
        services.edit_update(theirs, writer, theirs.edit_version, "Changed by the wrong person.")
    edited = services.edit_update(theirs, editor, theirs.edit_version, "Corrected by an editor.")
    assert edited.edit_version == 2
    with pytest.raises(PermissionDenied):
        services.delete_update(edited, writer)


# Edits, revisions, pins and quotes


def test_each_edit_is_a_revision_and_a_stale_edit_is_refused(live, writer, editor):
    update = post(live, writer, "First words.")
    services.edit_update(update, editor, 1, "Second words.", correction="The time was wrong.")
    with pytest.raises(services.StaleUpdate):
        services.edit_update(update, writer, 1, "Written over the editor's words.")
    update.refresh_from_db()
    assert update.body == "Second words." and update.correction == "The time was wrong."
    bodies = [v.field_dict["body"] for v in Version.objects.get_for_object(update)]
    assert bodies == ["Second words.", "First words."]


def test_pinning_an_update_unpins_the_previous_one(live, editor):
    first = post(live, editor, "First.", is_pinned=True)
    second = post(live, editor, "Second.", is_pinned=True)
    first.refresh_from_db()
    assert not first.is_pinned and second.is_pinned


def test_bad_text_is_refused_and_nothing_is_saved(live, writer):
    with pytest.raises(ValidationError):
        post(live, writer, "x" * (services.MAX_UPDATE_CHARS + 1))
    with pytest.raises(ValidationError):
        post(live, writer, "   ")
    assert not LiveUpdate.objects.exists()


def test_quotes_of_updates_are_the_articles_quotes_and_reach_the_speakers_page(
    client, live, writer
):
    speaker = make_person(name="Kaja Kallas", slug="kaja-kallas", role="High Representative")
    make_quote(live, make_person(), text="Said in the body.")  # position 1
    update = post(live, writer, "She spoke.", quotes=[(speaker, "", "We stand with Ukraine.")])
    quote = Quote.objects.get(update=update)
    assert quote.article == live and quote.role == "High Representative"
    assert quote.position >= services.FIRST_UPDATE_QUOTE
    page = client.get("/people/kaja-kallas/").content.decode()
    assert "We stand with Ukraine." in page
    assert f"{live.get_absolute_url()}#update-{update.pk}" in page


def test_restoring_the_article_keeps_what_was_said_live_since(admin_client, live, writer, editor):
    """An article's revision holds no update quotes: restoring it deletes none of them."""
    with reversion.create_revision():
        live.save()
    old = Version.objects.get_for_object(live).first()
    update = post(live, writer, "Later.", quotes=[(make_person(), "Minister", "Later words.")])
    with reversion.create_revision():
        live.title = "Renamed"
        live.save()
    # An article revision saved after the update would carry its quote: restoring it
    # must leave the update's quote to the update.
    from articles.restore import own_part

    assert all(v.field_dict.get("update_id") is None for v in own_part(old))
    latest = Version.objects.get_for_object(live).first()
    assert all(v.field_dict.get("update_id") is None for v in own_part(latest))
    assert Quote.objects.filter(update=update).count() == 1


# What readers see


def test_the_page_shows_updates_newest_first_with_key_events_and_the_pinned_one(
    client, live, writer
):
    early = post(
        live,
        writer,
        "Doors open.",
        published_at=timezone.now() - datetime.timedelta(hours=2),
        is_key_event=True,
        headline="Doors open",
    )
    late = post(live, writer, "Statement published.", is_pinned=True)
    html = client.get(live.get_absolute_url()).content.decode()
    listed = html[html.index('id="live-updates"') :]
    assert listed.index(f'id="update-{late.pk}"') < listed.index(f'id="update-{early.pk}"')
    assert f'<a href="#update-{early.pk}">' in html  # in the key events
    pinned = html[html.index("live-pinned") : html.index('id="live-updates"')]
    assert "Statement published." in pinned and f'id="update-{late.pk}"' not in pinned
    assert html.count(f'id="update-{late.pk}"') == 1  # one anchor per update
    assert 'data-poll-url="' in html and "<script src=" in html and "<script>" not in html


def test_a_closed_article_shows_its_summary_and_stops_polling(client, live, editor):
    post(live, editor)
    services.close(live, editor, summary="Leaders agreed **a partnership**.")
    html = client.get(live.get_absolute_url()).content.decode()
    assert "Live coverage ended" in html and "<strong>a partnership</strong>" in html
    assert "data-poll-url" not in html


def test_the_jsonld_is_a_live_blog_posting_as_schema_org_defines_it(client, live, editor):
    """LiveBlogPosting: coverage times as DateTime, updates as BlogPosting with an anchor."""
    first = post(live, editor, "Leaders *arrive*.", headline="Arrivals")
    post(live, editor, "Talks begin.")
    services.close(live, editor, summary="Done.")
    data = jsonld_of(client.get(live.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "LiveBlogPosting"
    for name in ("coverageStartTime", "coverageEndTime", "datePublished", "dateModified"):
        assert datetime.datetime.fromisoformat(data[name]).tzinfo is not None, name
    start = datetime.datetime.fromisoformat(data["coverageStartTime"])
    assert datetime.datetime.fromisoformat(data["coverageEndTime"]) >= start
    assert isinstance(data["headline"], str) and data["headline"] == live.title
    updates = data["liveBlogUpdate"]
    assert isinstance(updates, list) and len(updates) == 2
    for update in updates:
        assert update["@type"] == "BlogPosting"
        assert datetime.datetime.fromisoformat(update["datePublished"]).tzinfo is not None
        assert isinstance(update["headline"], str) and update["headline"]
        assert isinstance(update["articleBody"], str) and "<" not in update["articleBody"]
        assert re.fullmatch(r"https?://[^#]+#update-\d+", update["url"])
    oldest = updates[-1]
    assert oldest["headline"] == "Arrivals" and oldest["articleBody"] == "Leaders arrive."
    assert oldest["url"].endswith(f"{live.get_absolute_url()}#update-{first.pk}")


def test_an_article_not_live_keeps_its_news_article(client):
    article = make_article()
    assert jsonld_of(client.get(article.get_absolute_url()).content.decode())["@type"] == (
        "NewsArticle"
    )


def test_the_polling_fragment_answers_304_until_an_update_is_posted(
    client, live, editor, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    url = f"{live.get_absolute_url()}updates/"
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        update = post(live, editor, "Breaking.")
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert f'data-update="{update.pk}"' in fresh.content.decode()
    assert f"article-{live.pk}" in fresh["Surrogate-Key"].split()


def test_a_new_update_renews_the_live_article_alone(
    live, editor, django_capture_on_commit_callbacks
):
    """Not the ``articles`` key every list carries, nor the tag's: only the live page."""
    keys = ["articles", f"article-{live.pk}", f"tag-{live.tags.get().pk}"]
    invalidation.pending.take()  # the set-up's changes, as if committed before
    invalidation.renew_in_cache(set(keys))
    before = invalidation.versions(keys)
    with django_capture_on_commit_callbacks(execute=True):
        post(live, editor)
    after = invalidation.versions(keys)
    assert after[f"article-{live.pk}"] > before[f"article-{live.pk}"]
    assert after["articles"] == before["articles"]
    assert after[keys[2]] == before[keys[2]]


def test_closing_coverage_renews_the_lists(live, editor, django_capture_on_commit_callbacks):
    """The event pages and the news sitemap show whether it is live."""
    invalidation.renew_in_cache({"articles"})
    before = invalidation.versions(["articles"])
    with django_capture_on_commit_callbacks(execute=True):
        services.close(live, editor)
    assert invalidation.versions(["articles"])["articles"] > before["articles"]


def test_the_fragment_and_feed_of_a_draft_or_an_ordinary_article_are_404(client, editor):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, slug="draft-live")
    services.make_live(draft, editor)
    ordinary = make_article(slug="ordinary")
    for article in (draft, ordinary):
        day = (article.publication_date or timezone.localdate()).strftime("%Y/%m/%d")
        for tail in ("updates/", "updates/feed/"):
            assert client.get(f"/articles/{day}/{article.slug}/{tail}").status_code == 404
    assert client.get("/articles/2025/02/30/x/updates/").status_code == 404


def test_the_atom_feed_lists_the_updates_with_their_anchors(client, live, editor):
    import feedparser

    update = post(live, editor, "A <b>bold</b> claim & more.", headline="Claim")
    feed = feedparser.parse(client.get(f"{live.get_absolute_url()}updates/feed/").content)
    assert not feed.bozo and feed.feed.title == "Summit live: live updates"
    (entry,) = feed.entries
    assert entry.title == "Claim" and entry.link.endswith(f"#update-{update.pk}")
    assert "&lt;b&gt;bold&lt;/b&gt;" in entry.summary  # Markdown escapes the tag


def test_the_event_page_says_live_now_while_coverage_is_open(client, live, editor):
    event = make_event(name="Summit", slug="summit")
    link_event(live, event)
    assert "Live now:" in client.get("/events/summit/").content.decode()
    services.close(live, editor)
    assert "Live now:" not in client.get("/events/summit/").content.decode()


def test_the_news_sitemap_keeps_a_live_article_while_it_is_live(client, editor):
    old = make_article(
        slug="running-story", published_at=timezone.now() - datetime.timedelta(days=5)
    )
    assert "running-story" not in client.get("/sitemap-news.xml").content.decode()
    services.make_live(old, editor)
    assert "running-story" in client.get("/sitemap-news.xml").content.decode()
    services.close(old, editor)
    assert "running-story" not in client.get("/sitemap-news.xml").content.decode()


# The API


def test_the_api_lists_updates_and_what_changed_since(client, live, editor):
    early = post(live, editor, "Early.", published_at=timezone.now() - datetime.timedelta(hours=1))
    LiveUpdate.objects.filter(pk=early.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    speaker = make_person(name="Speaker", slug="speaker")
    late = post(live, editor, "Late.", quotes=[(speaker, "Envoy", "Words.")])
    data = client.get(f"/api/articles/{live.pk}/updates/").json()
    assert [u["id"] for u in data["results"]] == [late.pk, early.pk]
    assert data["coverage"]["state"] == "live"
    assert data["results"][0]["quotes"][0]["speaker"]["slug"] == "speaker"
    assert data["results"][0]["url"].endswith(f"#update-{late.pk}")
    since = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    recent = client.get(f"/api/articles/{live.pk}/updates/", {"since": since}).json()
    assert [u["id"] for u in recent["results"]] == [late.pk]
    assert client.get(f"/api/articles/{live.pk}/updates/", {"since": "soon"}).status_code == 400
    assert client.get(f"/api/articles/{make_article().pk}/updates/").status_code == 404


def test_ninjs_carries_the_updates_and_stays_valid(client, live, editor):
    from articles.api.ninjs import validation_problems

    update = post(live, editor, "Carried.", headline="In ninjs")
    item = client.get(f"/api/articles/{live.pk}/ninjs/").json()
    assert validation_problems(item) == []
    (association,) = item["associations"]
    assert association["name"] == f"update-{update.pk}"
    assert association["headlines"][0]["value"] == "In ninjs"


# Demo content


def test_the_demo_has_a_closed_live_article_of_the_summit(client):
    from articles.demo import load_demo, load_live_demo

    load_demo()
    article, created = load_live_demo()
    assert created and not load_live_demo()[1]  # idempotent
    coverage = LiveCoverage.objects.get(article=article)
    assert coverage.state == "closed" and coverage.summary
    updates = list(article.live_updates.all())
    assert len(updates) >= 12
    quoted = {u.pk for u in updates if u.quotes.exists()}
    assert len(quoted) == 2
    assert set(Quote.objects.filter(update__in=quoted).values_list("speaker__slug", flat=True)) == {
        "david-lammy",
        "john-healey",
    }
    (pinned,) = [u for u in updates if u.is_pinned]
    assert pinned.is_key_event
    assert article.event_links.get().event.slug == "uk-eu-summit-2025"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Live coverage ended" in html and html.count('class="live-update') >= 13
    healey = Quote.objects.get(speaker__slug="john-healey", update__isnull=False)
    page = client.get("/people/john-healey/").content.decode()
    assert f"#update-{healey.update_id}" in page and healey.text in page
