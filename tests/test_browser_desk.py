"""The writing desk in a real Chromium: a killed tab loses nothing, and editors see each other."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def newsroom(transactional_db, settings):
    """A writer with a draft, and an editor; the desk's timings shortened for the test."""
    from articles.roles import EDITORS, WRITERS
    from tests.factories import make_staff
    from tests.test_editorial import draft_by

    settings.DESK_AUTOSAVE_SECONDS = 0.3
    settings.DESK_HEARTBEAT_SECONDS = 0.5
    writer, editor = make_staff("wendy", WRITERS), make_staff("edna", EDITORS)
    draft = draft_by(writer, title="Talks in London", body="The first paragraph.")
    return writer, editor, draft


def open_as(browser, live_server, username):
    """A fresh browser window (its own cookies) with ``username`` logged in."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_text_typed_before_the_tab_is_killed_is_restored(browser, live_server, newsroom):
    from articles.models import Article, Autosave

    _, _, draft = newsroom
    change = f"/admin/articles/article/{draft.pk}/change/"
    page = open_as(browser, live_server, "wendy")
    page.goto(change)
    body = page.locator("#id_body")
    body.press("Control+End")
    body.press_sequentially("\n\nA second paragraph, typed under deadline.")
    page.locator("#desk-status", has_text="Draft autosaved at").wait_for()
    page.context.close()  # the tab is gone, nothing saved

    page = open_as(browser, live_server, "wendy")
    page.goto(change)
    offer = page.locator("#desk-offer")
    assert "You have unsaved changes from" in offer.inner_text()
    offer.locator("summary").click()
    assert "A second paragraph, typed under deadline." in offer.locator("ins").inner_text()
    offer.get_by_role("link", name="Restore").click()
    body = "The first paragraph.\n\nA second paragraph, typed under deadline."
    assert page.input_value("#id_body") == body
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/articles/article/")
    assert Article.objects.get(pk=draft.pk).body.replace("\r\n", "\n") == body
    assert not Autosave.objects.exists()
    page.context.close()


def test_a_new_article_never_saved_is_restored(browser, live_server, newsroom):
    page = open_as(browser, live_server, "wendy")
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Summit moved to May")
    page.fill("#id_body", "The summit will now take place on 19 May.")
    page.locator("#desk-status", has_text="Draft autosaved at").wait_for()
    page.context.close()

    page = open_as(browser, live_server, "wendy")
    page.goto("/admin/articles/article/add/")
    page.get_by_role("link", name="Restore").click()
    assert page.input_value("#id_title") == "Summit moved to May"
    assert page.input_value("#id_slug") == "summit-moved-to-may"
    assert page.input_value("#id_body") == "The summit will now take place on 19 May."
    # Discarding instead: the offer goes, and does not come back.
    page.goto("/admin/articles/article/add/")
    page.get_by_role("button", name="Discard").click()
    page.locator("#desk-offer").wait_for(state="detached")
    page.goto("/admin/articles/article/add/")
    assert page.locator("#desk-offer").count() == 0
    page.context.close()


def test_two_editors_see_each_other_on_the_same_article(browser, live_server, newsroom):
    _, _, draft = newsroom
    change = f"/admin/articles/article/{draft.pk}/change/"
    wendy = open_as(browser, live_server, "wendy")
    wendy.goto(change)
    assert wendy.locator("#desk-presence").is_hidden()
    edna = open_as(browser, live_server, "edna")
    edna.goto(change)
    # Edna is told at once; Wendy by her form's next heartbeat.
    assert "Also open: Wendy (since" in edna.locator("#desk-presence").inner_text()
    wendy.locator("#desk-presence", has_text="Also open: Edna (since").wait_for()
    # Autosaves go on under both, and neither's form goes stale.
    edna.locator("#id_standfirst").press_sequentially("Edna's standfirst.")
    edna.locator("#desk-status", has_text="Draft autosaved at").wait_for()
    edna.get_by_role("button", name="Save", exact=True).click()
    edna.wait_for_url("**/admin/articles/article/")
    assert "was changed successfully" in edna.locator(".messagelist").inner_text()
    wendy.context.close()
    edna.context.close()
