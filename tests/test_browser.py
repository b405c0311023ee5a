"""End-to-end: a reader in a real Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOWING_ELEMENTS = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .map((element) => element.tagName.toLowerCase() + "." + element.className);
}
"""


@pytest.fixture
def seeded(transactional_db):
    from articles.demo import load_demo

    article, _ = load_demo()
    return article


def test_a_reader_goes_from_the_front_page_to_a_speaker(page, seeded):
    """Front page → the seed article → a quoted speaker's page."""
    page.goto("/")
    page.get_by_role("link", name=seeded.title).click()
    page.wait_for_url(f"**{seeded.get_absolute_url()}")
    assert page.locator("h1").inner_text() == seeded.title
    page.get_by_role("link", name="John Healey").click()
    page.wait_for_url("**/people/john-healey/")
    assert page.locator("h1").inner_text() == "John Healey"
    assert "European security starts in Ukraine." in page.locator("main").inner_text()


def test_a_reader_browses_by_tag_second_tag_event_and_speaker(page, seeded):
    """The seed article → a tag → narrowed by a second tag → an event → a speaker."""
    page.goto(seeded.get_absolute_url())
    page.locator(".article-footer .tags").get_by_role("link", name="Ukraine", exact=True).click()
    page.wait_for_url("**/tags/ukraine/")
    assert page.locator("h1").inner_text() == "Ukraine"

    page.get_by_role("link", name="+ Russia").click()
    page.wait_for_url("**/tags/ukraine+russia/")
    assert page.locator("h1").inner_text() == "Ukraine + Russia"
    page.get_by_role("link", name=seeded.title).click()
    page.wait_for_url(f"**{seeded.get_absolute_url()}")

    page.get_by_role("link", name="UK–EU Summit").click()
    page.wait_for_url("**/events/uk-eu-summit-2025/")
    assert "19 May 2025" in page.locator(".meta").first.inner_text()
    assert "Previews the event" in page.locator("main").inner_text()
    page.get_by_role("link", name=seeded.title).click()

    # The pull quote in the body and the quotes under it both link to the speaker.
    page.get_by_role("link", name="David Lammy").first.click()
    page.wait_for_url("**/people/david-lammy/")
    assert "As Foreign Secretary" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_article_page_fits_the_screen(page, seeded, width, tmp_path):
    """Nothing on the article page sticks out sideways on a phone or a wide screen."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(seeded.get_absolute_url())
    screenshot = page.screenshot(path=tmp_path / f"article-{width}.png", full_page=True)
    assert len(screenshot) > 10_000
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING_ELEMENTS) == []


def test_the_filter_page_works_without_javascript(browser, live_server, seeded):
    """Filtering needs no script: removing a filter is a plain link."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/articles/?tag=ukraine&tag=nato")
    assert "1 article" in page.locator("main").inner_text()
    page.get_by_role("link", name="Remove tag NATO").click()
    page.wait_for_url("**/articles/?tag=ukraine")
    assert "Tag: NATO" not in page.locator("main").inner_text()
    context.close()
