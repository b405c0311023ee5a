"""Embeds: which addresses are recognised, what their providers are asked, and offline."""

import pytest
from django.conf import settings

from articles.embeds import fetch, providers
from articles.embeds.models import Embed
from tests.factories import make_article

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "provider", "frame"),
    [
        (VIDEO, "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://bsky.app/profile/did:plc:abc123/post/3kabc", "bluesky",
         "https://embed.bsky.app/embed/did:plc:abc123/app.bsky.feed.post/3kabc"),
        ("https://bsky.app/profile/news.example/post/3kabc", "bluesky", ""),
        ("https://mastodon.social/@newsroom/112233", "mastodon",
         "https://mastodon.social/@newsroom/112233/embed"),
        ("https://x.com/newsroom/status/1234567890", "x",
         "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true"),
        ("https://twitter.com/newsroom/status/1234567890", "x",
         "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true"),
        ("https://example.gov.uk/files/summit-declaration.pdf", "pdf", ""),
    ],
)  # fmt: skip
def test_each_provider_is_recognised_with_a_private_frame(url, provider, frame):
    match = providers.recognise(url)
    assert match.provider.key == provider
    assert match.frame_url() == frame


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://www.youtube.com/watch?v=short",  # no video id
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://mastodon.example/@someone/112233",  # a server not listed
        "https://169.254.169.254/latest/meta-data",
        "https://user:pw@youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "",
        "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",  # urllib cannot read the port
        "https://www.youtube.com:port/watch?v=dQw4w9WgXcQ",
        "https://[::1/report.pdf",  # nor the host
        "https://example.com/report%00.pdf",  # a NUL once decoded: no title can hold it
        "https://example.com/report%0A.pdf",
    ],
)
def test_unknown_addresses_are_refused_naming_the_providers(url):
    with pytest.raises(providers.UnknownEmbed) as refused:
        providers.recognise(url)
    message = str(refused.value)
    assert "embed" in message
    if url.startswith("https://") and "@" not in url.split("//")[1].split("/")[0]:
        assert "YouTube, Vimeo, Bluesky, Mastodon (mastodon.social), X and PDF" in message


def test_the_csp_frame_sources_are_exactly_the_providers_frame_hosts():
    sources = [s for s in settings.SECURE_CSP["frame-src"] if s != "'self'"]
    assert sorted(sources) == providers.frame_origins()


@pytest.mark.django_db
def test_the_csp_header_allows_the_providers_frames(client):
    response = client.get(make_article().get_absolute_url())
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["frame-src"].split() == ["'self'", *settings.EMBED_FRAME_SOURCES]
    assert directives["script-src"] == "'self'"


@pytest.mark.django_db
def test_a_video_is_described_once_by_its_provider_and_its_thumbnail_copied(oembed):
    oembed.answer_json(
        "/youtube/oembed",
        {
            "type": "video", "title": "Summit press conference", "author_name": "UK Government",
            "author_url": "https://www.youtube.com/@ukgov", "width": 480, "height": 270,
            "thumbnail_url": f"{oembed.origin}/thumbnails/summit.png",
        },
    )  # fmt: skip
    oembed.answer_picture("/thumbnails/summit.png")
    embed = Embed.objects.for_urls([VIDEO], create=True)[VIDEO]
    assert (embed.title, embed.author_name) == ("Summit press conference", "UK Government")
    assert embed.fetch_problem == ""
    assert embed.thumbnail.name.startswith("embeds/")
    assert embed.thumbnail.storage.exists(embed.thumbnail.name)
    assert {r["format"] for r in embed.thumbnail_renditions} == {"jpeg", "webp"}
    # Only the endpoint, for this address, and the thumbnail it named.
    assert oembed.requests == [("/youtube/oembed", VIDEO), ("/thumbnails/summit.png", "")]
    # Recorded: a second body showing it asks nobody.
    Embed.objects.for_urls([VIDEO], create=True)
    assert len(oembed.requests) == 2


@pytest.mark.django_db
def test_a_thumbnail_from_elsewhere_is_never_fetched(oembed):
    oembed.answer_json(
        "/vimeo/oembed",
        {"title": "Harbour", "thumbnail_url": "http://127.0.0.1:1/internal/secret.png"},
    )
    embed = Embed.objects.for_urls(["https://vimeo.com/76979871"], create=True)[
        "https://vimeo.com/76979871"
    ]
    assert embed.title == "Harbour" and not embed.thumbnail
    assert [path for path, _ in oembed.requests] == ["/vimeo/oembed"]


@pytest.mark.django_db
def test_a_thumbnail_that_is_no_picture_is_refused(oembed):
    oembed.answer_json("/youtube/oembed", {"title": "T", "thumbnail_url": f"{oembed.origin}/t.svg"})
    oembed.answers["/t.svg"] = (200, "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    embed = Embed.objects.for_urls([VIDEO], create=True)[VIDEO]
    assert not embed.thumbnail
    assert "picture was refused" in embed.fetch_problem


@pytest.mark.django_db
def test_bluesky_frames_the_post_by_the_did_its_provider_gives(oembed):
    url = "https://bsky.app/profile/news.example/post/3kabc"
    oembed.answer_json(
        "/bluesky/oembed",
        {"author_name": "News", "html": '<blockquote data-bluesky-uri="at://did:plc:xyz789/app.bsky.feed.post/3kabc">'},
    )  # fmt: skip
    embed = Embed.objects.for_urls([url], create=True)[url]
    assert embed.frame_url == "https://embed.bsky.app/embed/did:plc:xyz789/app.bsky.feed.post/3kabc"


@pytest.mark.django_db
def test_a_mastodon_post_asks_its_own_server(oembed):
    url = "https://mastodon.social/@newsroom/112233"
    oembed.answer_json("/mastodon/mastodon.social/oembed", {"title": "", "author_name": "Newsroom"})
    embed = Embed.objects.for_urls([url], create=True)[url]
    assert embed.author_name == "Newsroom"
    assert oembed.requests == [("/mastodon/mastodon.social/oembed", url)]


@pytest.mark.django_db
def test_a_pdf_is_never_fetched(oembed):
    url = "https://example.gov.uk/files/summit%20declaration.pdf"
    embed = Embed.objects.for_urls([url], create=True)[url]
    assert oembed.requests == []
    assert embed.item()["title"] == "summit declaration.pdf"
    assert embed.frame_url == ""


@pytest.mark.django_db
def test_offline_the_embed_is_saved_with_its_address_and_a_message():
    """The tests' endpoints refuse connections, as a machine without internet does."""
    embed = Embed.objects.for_urls([VIDEO], create=True)[VIDEO]
    assert embed.pk is not None
    assert "YouTube could not be reached" in embed.fetch_problem
    assert "offline" in embed.fetch_problem
    item = embed.item()
    assert item["title"] == "YouTube video"
    assert item["frame_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.django_db
def test_a_provider_that_refuses_or_answers_nonsense_gives_a_message(oembed):
    oembed.answer_json("/youtube/oembed", {"error": "private"}, status=401)
    assert (
        "refused to describe it (HTTP 401)"
        in Embed.objects.for_urls([VIDEO], create=True)[VIDEO].fetch_problem
    )
    url = "https://vimeo.com/1"
    oembed.answers["/vimeo/oembed"] = (200, "application/json", b"[not json")
    assert "not usable" in Embed.objects.for_urls([url], create=True)[url].fetch_problem


@pytest.mark.django_db
def test_a_slow_provider_is_given_up_on(oembed, settings):
    import time

    settings.EMBED_FETCH_TIMEOUT = 0.3
    handler = oembed.httpd.RequestHandlerClass
    original = handler.do_GET

    def slow(self):
        time.sleep(1)
        original(self)

    handler.do_GET = slow
    started = time.monotonic()
    embed = Embed.objects.for_urls([VIDEO], create=True)[VIDEO]
    assert time.monotonic() - started < 1
    assert "did not answer within 0.3 seconds" in embed.fetch_problem


@pytest.mark.django_db
def test_refreshing_an_embed_renders_its_articles_again(oembed):
    article = make_article(body=f"::: embed {VIDEO}")
    assert "YouTube video" in article.body_html  # offline when saved
    oembed.answer_json("/youtube/oembed", {"title": "Summit press conference"})
    embed = Embed.objects.get()
    assert list(embed.articles.all()) == [article]
    assert embed.refresh() == ""
    article.refresh_from_db()
    assert "Summit press conference" in article.body_html
    assert fetch._kept  # kept for the next save


@pytest.mark.django_db
def test_the_embeds_list_reads_as_many_queries_for_many_embeds(admin_client):
    """Guards the N+1 on each embed's count of articles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("admin:articles_embed_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    make_article(body="::: embed https://vimeo.com/1")
    few = queries()
    for n in range(2, 8):
        make_article(body=f"::: embed https://vimeo.com/{n}\n\n::: embed https://vimeo.com/1")
    assert queries() == few


@pytest.mark.django_db
def test_an_editor_asks_the_provider_again_from_the_list(admin_client, oembed):
    from django.urls import reverse

    article = make_article(body=f"::: embed {VIDEO}")
    embed = Embed.objects.get()
    oembed.answer_json("/youtube/oembed", {"title": "Now described"})
    response = admin_client.post(
        reverse("admin:articles_embed_changelist"),
        {"action": "refresh_selected", "_selected_action": [embed.pk]},
        follow=True,
    )
    assert "described again" in response.content.decode()
    article.refresh_from_db()
    assert "Now described" in article.body_html


@pytest.mark.django_db
def test_a_writer_sees_no_title_of_another_writers_draft_among_an_embeds_articles(
    client, writer, other_writer
):
    from django.urls import reverse

    from tests.test_editorial import draft_by

    document = "https://example.com/reports/annual.pdf"
    draft_by(other_writer, title="Walter's embargoed story", body=f"::: embed {document}")
    make_article(title="The published story", body=f"::: embed {document}")
    embed = Embed.objects.get()
    client.force_login(writer)
    page = client.get(reverse("admin:articles_embed_change", args=[embed.pk])).content.decode()
    assert "Walter&#x27;s embargoed story" not in page and "Walter's embargoed story" not in page
    assert "The published story" in page
    assert "1 unpublished article(s) of other writers" in page


@pytest.mark.django_db
def test_an_embed_from_a_mastodon_server_no_longer_listed_still_opens_in_the_admin(
    admin_client,
):
    """Taking a server off EMBED_MASTODON_HOSTS must not break the embeds' admin: its
    embeds are listed, open, and asking again says why nothing is asked."""
    from django.urls import reverse

    post = "https://mastodon.example/@newsroom/112233"
    embed = Embed.objects.create(url=post, provider="mastodon", frame_url=f"{post}/embed")

    listing = admin_client.get(reverse("admin:articles_embed_changelist"))
    assert listing.status_code == 200 and "mastodon.example" in listing.content.decode()
    page = admin_client.get(reverse("admin:articles_embed_change", args=[embed.pk]))
    assert page.status_code == 200
    assert embed.item()["frame_url"] == ""  # no longer framed: the CSP does not allow it
    response = admin_client.post(
        reverse("admin:articles_embed_changelist"),
        {"action": "refresh_selected", "_selected_action": [embed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "is not an address we embed" in response.content.decode()
