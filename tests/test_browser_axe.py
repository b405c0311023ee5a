"""
The axe accessibility audit (axe-core, run in a real Chromium) on the reader's pages:
the seed article with its pictures, pull quote, gallery and embed, the live page, lists,
an event, a speaker, search.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What axe checks: WCAG 2.1 A and AA, and its best practices.
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def seeded(transactional_db):
    from articles.demo import load_demo, load_live_demo
    from tests.factories import make_article

    article, _ = load_demo()
    live, _ = load_live_demo()
    body = "A video of the talks.\n\n::: embed https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    watch = make_article(title="Watch the talks", slug="watch-the-talks", body=body)
    return article, live, watch


def violations(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    results = Axe().run(page, options=RULES)
    return [
        f"{rule['id']}: {rule['help']} — {[node['target'] for node in rule['nodes']][:3]}"
        for rule in results.response["violations"]
    ]


def pages(article, live, watch):
    return [
        "/",
        article.get_absolute_url(),
        live.get_absolute_url(),
        watch.get_absolute_url(),
        "/articles/",
        "/tags/",
        "/tags/ukraine/",
        "/events/",
        "/events/uk-eu-summit-2025/",
        "/people/david-lammy/",
        "/search/?q=summit",
        "/corrections/",
    ]


def test_every_reader_page_passes_the_axe_audit(page, seeded):
    """No WCAG 2.1 A or AA violation axe can find, on any page a reader reaches."""
    found = {path: violations(page, path) for path in pages(*seeded)}
    # The pages hold what the audit is for: pictures, a gallery, an embed to load.
    page.goto(seeded[0].get_absolute_url())
    assert page.locator("main picture img").count() >= 3
    assert page.locator("main figure ul img").count() >= 2
    page.goto(seeded[2].get_absolute_url())
    assert page.locator("main .embed button").count() == 1
    assert not {path: problems for path, problems in found.items() if problems}


def test_the_audit_finds_what_it_is_meant_to_find(page, seeded):
    """A picture without alt text put on the front page is reported: the audit runs."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/x.png';"
        " document.querySelector('main').append(img); }"
    )
    found = [rule["id"] for rule in Axe().run(page, options=RULES).response["violations"]]
    assert "image-alt" in found
