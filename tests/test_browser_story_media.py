"""
The issue's done-test, in a real Chromium: an editor builds the seed story in the admin
with a lead image, two body pictures and a gallery from the library, a pull quote and a
video embed, publishes it, and readers see them on the page, in the feed and in the API.
"""

import re
from xml.etree import ElementTree

import pytest

from tests.test_browser_admin import PASSWORD, choose, editor  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
TITLE = "UK and EU join forces on Ukraine as Kaja Kallas visits London"
BODY_PICTURES = {
    "talks.jpg": "Ministers around the table at the London talks",
    "training.jpg": "Ukrainian recruits training on Salisbury Plain",
    "summit.jpg": "The summit venue in London",
    "balkans.jpg": "A map of the Western Balkans",
}


def upload(name, size=(1200, 800)):
    from tests.images import picture_bytes

    return {"name": name, "mimeType": "image/jpeg", "buffer": picture_bytes("JPEG", size)}


def accessibility_problems(page):
    """What the audit of the browser tests finds: images without alt text or size,
    unnamed buttons and links, not one main landmark, a gallery without list semantics."""
    return page.evaluate(
        """() => {
          const problems = [];
          document.querySelectorAll("img").forEach((img) => {
            if (!img.hasAttribute("alt")) problems.push("no alt: " + img.src);
            if (!img.getAttribute("width") || !img.getAttribute("height"))
              problems.push("no size: " + img.src);
          });
          document.querySelectorAll("button, a[href]").forEach((el) => {
            const named = (el.innerText || "").trim() || el.getAttribute("aria-label")
              || [...el.querySelectorAll("img")].some((img) => img.alt.trim());
            if (!named && el.offsetParent !== null) problems.push("unnamed: " + el.outerHTML);
          });
          if (document.querySelectorAll("main").length !== 1) problems.push("main landmarks");
          document.querySelectorAll(".body-gallery").forEach((gallery) => {
            if (!gallery.querySelector("ul > li img")) problems.push("gallery without a list");
          });
          if (!document.documentElement.lang) problems.push("no lang");
          return problems;
        }"""
    )


def test_an_editor_builds_the_seed_story_with_its_media_and_readers_get_it(
    page,
    live_server,
    editor,  # noqa: F811
    oembed,
):
    from articles.media.models import Picture, PictureUse
    from articles.models import Article

    oembed.answer_json("/youtube/oembed", {
        "type": "video", "title": "Kallas and Lammy speak to the press",
        "author_name": "UK Government", "width": 480, "height": 270,
        "thumbnail_url": f"{oembed.origin}/thumbnails/press.png",
    })  # fmt: skip
    oembed.answer_picture("/thumbnails/press.png")

    page.goto("/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    # The body's pictures go into the library at once, then each gets its alt text.
    page.goto("/admin/articles/picture/bulk-upload/")
    page.set_input_files("input[type=file]", [upload(name) for name in BODY_PICTURES])
    page.fill("#id_credit", "Newsroom")
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url("**/admin/articles/picture/?alt=missing")
    assert "4 picture(s) added to the library" in page.locator(".messagelist").inner_text()
    for picture, alt in zip(Picture.objects.order_by("pk"), BODY_PICTURES.values(), strict=True):
        page.goto(f"/admin/articles/picture/{picture.pk}/change/")
        page.fill("#id_alt", alt)
        page.locator("input[name=_save]").click()
        page.wait_for_url("**/admin/articles/picture/")
    by_alt = {picture.alt: picture.pk for picture in Picture.objects.all()}
    assert set(by_alt) == set(BODY_PICTURES.values())
    talks, training, summit, balkans = (by_alt[alt] for alt in BODY_PICTURES.values())

    # The story: its lead image uploaded on the spot, its quote, then its blocks.
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_standfirst", "The EU's foreign policy chief meets David Lammy and John Healey.")
    page.fill("#id_new_tags", "Ukraine, defence")
    page.set_input_files("#id_lead_image_upload", upload("lead.jpg", (1600, 900)))
    page.fill("#id_lead_image_alt", "Twelve gold stars on blue beside the Union flag's colours")
    page.fill("#id_lead_image_caption", "UK-EU talks in London, 18 March.")
    page.locator("#quotes-group .add-row a").click()
    choose(page, page.locator("#quotes-0"), "Kaja Kallas")
    page.fill("#id_quotes-0-role", "High Representative")
    page.fill("#id_quotes-0-position", "1")
    page.fill("#id_quotes-0-text", "European security starts in Ukraine.")

    body = page.locator("#id_body")
    body.fill("The stakes have never been higher.")
    body.press("Control+End")
    toolbar = page.get_by_role("toolbar", name="Insert")

    # A picture, found by typing, inserted wide with a caption of its own, by keyboard.
    toolbar.get_by_role("button", name="Picture").click()
    search = page.get_by_role("searchbox", name="Find in the picture library")
    assert search.evaluate("el => el === document.activeElement")
    page.select_option(".blocks-insert-size", "wide")
    page.fill(".blocks-insert-caption", 'The "family photo" of the talks')
    search.fill("table")
    result = page.locator(".blocks-insert-picture")
    page.wait_for_function("() => document.querySelectorAll('.blocks-insert-picture').length === 1")
    assert result.locator("img").get_attribute("src").endswith(".jpg")
    result.focus()
    page.keyboard.press("Enter")

    body.press("Control+End")
    body.type("\n\nMilitary readiness is another key priority.")
    toolbar.get_by_role("button", name="Picture").click()
    page.get_by_role("searchbox", name="Find in the picture library").fill("recruits")
    page.wait_for_function("() => document.querySelectorAll('.blocks-insert-picture').length === 1")
    page.locator(".blocks-insert-picture").click()

    toolbar.get_by_role("button", name="Pull quote").click()
    page.locator(".blocks-insert-quote", has_text="European security starts").click()

    # A gallery: two pictures chosen in order, with Escape closing nothing chosen before.
    toolbar.get_by_role("button", name="Gallery").click()
    page.get_by_role("searchbox", name="Find in the picture library").fill("London")
    choice = page.locator(".blocks-insert-picture", has_text="summit venue")
    choice.click()
    assert choice.get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Insert gallery").is_disabled()
    page.get_by_role("searchbox", name="Find in the picture library").fill("Balkans")
    page.locator(".blocks-insert-picture", has_text="Western Balkans").click()
    page.get_by_role("button", name="Insert gallery").click()

    toolbar.get_by_role("button", name="Embed").click()
    page.fill(".blocks-insert-url", VIDEO)
    page.get_by_role("button", name="Insert embed").click()

    assert page.input_value("#id_body") == (
        "The stakes have never been higher.\n\n"
        f'::: picture {talks} wide "The \\"family photo\\" of the talks"\n\n'
        "Military readiness is another key priority.\n\n"
        f"::: picture {training}\n\n::: pull-quote 1\n\n::: gallery {summit} {balkans}\n\n"
        f"::: embed {VIDEO}"
    )

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get(title=TITLE)
    assert article.is_public and article.lead_image.alt.startswith("Twelve gold stars")
    assert {(use.picture_id, use.kind) for use in PictureUse.objects.filter(article=article)} == {
        (article.lead_image_id, "lead"), (talks, "body"), (training, "body"),
        (summit, "body"), (balkans, "body"),
    }  # fmt: skip

    # A reader.
    reader = page.context.browser.new_context(base_url=live_server.url)
    story = reader.new_page()
    story.goto(article.get_absolute_url())
    main = story.locator("main")
    assert main.locator("figure.lead-image img").get_attribute("alt").startswith("Twelve gold")
    wide = main.locator(".body figure.body-picture-wide")
    assert wide.locator("img").get_attribute("alt") == BODY_PICTURES["talks.jpg"]
    assert 'The "family photo" of the talks' in wide.inner_text()
    assert wide.locator(".credit").text_content() == "Newsroom"
    inline = main.locator(".body figure.body-picture-inline img")
    assert inline.get_attribute("alt") == BODY_PICTURES["training.jpg"]
    assert main.locator(".body figure.body-pull-quote a").inner_text() == "Kaja Kallas"
    gallery = main.locator(".body figure.body-gallery li img")
    assert [image.get_attribute("alt") for image in gallery.all()] == [
        BODY_PICTURES["summit.jpg"], BODY_PICTURES["balkans.jpg"],
    ]  # fmt: skip
    embed = main.locator("figure.embed")
    assert embed.locator(".embed-title").inner_text() == "Kallas and Lammy speak to the press"
    assert story.get_by_role("button", name="Load the video from YouTube").is_visible()
    wide.scroll_into_view_if_needed()
    story.wait_for_function(
        "() => document.querySelector('.body-picture-wide img').naturalWidth > 0"
    )
    assert accessibility_problems(story) == []
    reader.close()

    # The feed and the API.
    feed = story_request(page, "/feeds/latest/")
    content = next(ElementTree.fromstring(feed).iter("{http://www.w3.org/2005/Atom}content")).text
    assert len(re.findall(r'<img src="http', content)) == 4
    assert BODY_PICTURES["balkans.jpg"] in content and f'<a href="{VIDEO}">' in content
    data = page.request.get(f"/api/articles/{article.pk}/").json()
    types = [item["type"] for item in data["body"] if item["type"] != "text"]
    assert types == ["picture", "picture", "pull_quote", "gallery", "embed"]
    assert data["body"][1]["id"] == talks and data["body"][1]["size"] == "wide"
    assert data["lead_image"]["id"] == article.lead_image_id


def story_request(page, path):
    response = page.request.get(path)
    assert response.ok, path
    return response.body()
