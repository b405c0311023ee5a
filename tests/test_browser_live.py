"""Live coverage in a real Chromium: a writer posts, a reader's open page says so, then shows it."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def coverage(transactional_db, settings):
    """A live article by the writer, polled every second by readers' pages."""
    from articles.live import services
    from articles.roles import WRITERS
    from tests.factories import make_article, make_staff

    settings.LIVE_POLL_SECONDS = 1
    writer = make_staff("wendy", WRITERS)
    article = make_article(tags=["Summit"], title="Summit live", slug="summit-live")
    article.authors.add(writer)
    services.make_live(article)
    services.post_update(article, writer, "Good morning from the summit.")
    return article


def test_a_reader_is_told_of_new_updates_and_then_shown_them(browser, live_server, coverage):
    from articles.live.models import LiveUpdate

    reader = browser.new_context(base_url=live_server.url, timezone_id="America/New_York")
    page = reader.new_page()
    page.set_default_timeout(15_000)
    page.goto(coverage.get_absolute_url())
    updates = page.locator("#live-updates")
    assert "Good morning from the summit." in updates.inner_text()
    # Times in the reader's zone: the server wrote the newsroom's (London).
    first_time = updates.locator("time").first.inner_text()
    assert re.search(r"\b(EST|EDT|GMT-[45])\b", first_time), first_time

    writer = browser.new_context(base_url=live_server.url)
    desk = writer.new_page()
    desk.set_default_timeout(15_000)
    desk.goto("/admin/login/")
    desk.fill("#id_username", "wendy")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit]")
    desk.wait_for_url("**/admin/")
    change = f"/admin/articles/article/{coverage.pk}/change/"
    desk.goto(change)
    for text in ["Leaders arrive at the summit.", "Talks begin behind closed doors."]:
        desk.fill("#id_live-body", text)
        with desk.expect_navigation():
            desk.locator("#live-desk").get_by_role("button", name="Post update").click()
        assert desk.url.endswith(change)
        assert text in desk.locator("#live-desk").inner_text()  # the writer stays there

    notice = page.locator("#live-notice")
    notice.get_by_role("button", name=re.compile("2 new updates")).wait_for()
    # Told, not moved: the text under the reader is as it was until they ask.
    assert "Leaders arrive" not in updates.inner_text()
    notice.get_by_role("button").click()
    newest = updates.locator("article.live-update").first
    assert "Talks begin behind closed doors." in newest.inner_text()
    talks = LiveUpdate.objects.get(body__startswith="Talks begin")
    assert newest.get_attribute("id") == f"update-{talks.pk}"
    assert re.search(r"\b(EST|EDT|GMT-[45])\b", newest.locator("time").first.inner_text())
    assert updates.locator("article.live-update").count() == 3
    assert notice.is_hidden()
    reader.close()
    writer.close()
