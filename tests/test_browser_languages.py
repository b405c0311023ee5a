"""A reader switches the seed article between English and French in a real Chromium."""

import pytest
from django.test import override_settings

from tests.factories import TWO_LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb")
def test_a_reader_reads_the_seed_article_in_french_and_comes_back(page):
    from articles.demo import load_demo

    seed, _ = load_demo()
    french = seed.translations.get(language="fr")
    page.goto(seed.get_absolute_url())
    assert page.locator("html").get_attribute("lang").lower() == "en-gb"

    page.locator('nav.languages a[hreflang="fr"]').click()
    page.wait_for_url(f"**{french.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text() == french.title
    assert page.get_by_text("Un Royaume-Uni fort et sûr").first.is_visible()

    page.locator('nav.languages a[hreflang^="en" i]').click()
    page.wait_for_url(f"**{seed.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang").lower() == "en-gb"
    assert page.locator("h1").first.inner_text() == seed.title
