"""End-to-end: a reader in a real Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
