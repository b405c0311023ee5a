"""Embeds and pull quotes in a real Chromium: nothing reaches a provider before the reader asks."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FRAME = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.fixture
def story(transactional_db):
    from articles.embeds.models import Embed
    from tests.factories import make_article, make_person, make_quote

    Embed.objects.create(url=VIDEO, provider="youtube", title="Summit press conference",
                         author_name="UK Government", frame_url=FRAME)  # fmt: skip
    article = make_article(
        tags=["Summit"], body=f"Talks began.\n\n::: pull-quote 1\n\n::: embed {VIDEO}\n\nEnd."
    )
    make_quote(
        article, make_person(name="David Lammy", slug="david-lammy"), text="We stand together."
    )
    article.refresh_from_db()
    return article


def test_the_provider_is_contacted_only_when_the_reader_loads_the_video(page, live_server, story):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    player = "<!doctype html><title>Player</title>"
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=player),
    )
    page.goto(story.get_absolute_url())
    ours = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requested} == {ours}

    figure = page.locator("figure.embed")
    assert figure.locator(".embed-title").inner_text() == "Summit press conference"
    assert figure.locator("a.embed-original").get_attribute("href") == VIDEO
    quote = page.locator(".body figure.body-pull-quote")
    assert quote.locator("a").inner_text() == "David Lammy"
    assert quote.locator("a").get_attribute("href") == "/people/david-lammy/"

    # Accessibility, as an audit checks it: a named button, a titled frame, no image
    # without alt text or size, one main landmark.
    button = page.get_by_role("button", name="Load the video from YouTube")
    assert button.is_visible()
    for image in page.locator("img").all():
        assert image.get_attribute("alt") is not None
        assert image.get_attribute("width") and image.get_attribute("height")
    assert page.locator("main").count() == 1

    button.click()
    frame = figure.locator("iframe.embed-frame")
    frame.wait_for()
    assert frame.get_attribute("src") == FRAME
    assert frame.get_attribute("title") == "Summit press conference"
    page.wait_for_timeout(200)
    assert any(urlsplit(url).netloc == "www.youtube-nocookie.com" for url in requested)
    assert not any("youtube.com/" in url and "nocookie" not in url for url in requested)
    assert not button.is_visible()


def test_without_script_the_reader_gets_the_link(browser, live_server, story):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(story.get_absolute_url())
    assert page.locator(".embed-consent").is_hidden()
    assert page.get_by_role("link", name="See it on YouTube").get_attribute("href") == VIDEO
    context.close()


def test_an_editor_inserts_a_pull_quote_and_an_embed_from_the_toolbar(browser, live_server, story):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-test-password")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    body = page.locator("#id_body")
    body.fill("Opening line.")
    body.press("Control+End")
    toolbar = page.get_by_role("toolbar", name="Insert")
    toolbar.get_by_role("button", name="Pull quote").click()
    page.locator(".blocks-insert-quote", has_text="We stand together.").click()
    toolbar.get_by_role("button", name="Embed").click()
    page.fill(".blocks-insert-url", "https://vimeo.com/76979871")
    page.get_by_role("button", name="Insert embed").click()
    assert page.input_value("#id_body") == (
        "Opening line.\n\n::: pull-quote 1\n\n::: embed https://vimeo.com/76979871"
    )
    assert toolbar.get_by_role("button", name="Picture").is_enabled()  # may search the library
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".messagelist .success").wait_for()
    story.refresh_from_db()
    assert story.body.endswith("::: embed https://vimeo.com/76979871")
    assert "We stand together." in story.body_html and "Vimeo" in story.body_html
    context.close()
