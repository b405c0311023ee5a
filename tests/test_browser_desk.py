"""The writing desk in a real Chromium: nothing lost, editors see each other and the story."""

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


# The preview pane, the checklist and editing comfort.


def story_of(frame_or_page):
    """The body and quotes of an article page, as the browser has them."""
    return [
        frame_or_page.locator(part).inner_html() for part in ("article .body", "section.quotes")
    ]


def test_the_preview_pane_shows_the_story_as_the_public_page_does(browser, live_server, newsroom):
    from tests.factories import make_article, make_person, make_quote

    article = make_article(
        title="Ministers meet in London",
        tags=["Defence"],
        body="The talks went **well**.\n\n## What next\n\n- a summit\n- [sanctions](/tags/x/)",
    )
    make_quote(article, make_person(name="David Lammy"), text="We stand together.")
    make_quote(article, make_person(name="John Healey"), role="", text="Ready.")
    page = open_as(browser, live_server, "edna")
    page.goto(article.get_absolute_url())
    public = story_of(page)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Show preview").click()
    frame = page.frame_locator("#desk-preview-frame")
    frame.locator("article .body").wait_for()
    assert story_of(frame) == public
    # The pane follows the typing, the public page does not change.
    body = page.locator("#id_body")
    body.press("Control+End")
    body.press_sequentially("\n\nA paragraph typed just now.")
    frame.locator("article .body", has_text="A paragraph typed just now.").wait_for()
    page.goto(article.get_absolute_url())
    assert story_of(page) == public
    page.context.close()


def test_the_checklist_flags_the_problems_of_a_crafted_draft(browser, live_server, newsroom):
    from tests.factories import make_article
    from tests.test_editorial import draft_by

    writer, _, _ = newsroom
    unpublished = draft_by(writer, title="Not out yet", slug="not-out-yet")
    day = make_article().publication_date
    body = (
        f"See [this](/articles/{day:%Y/%m/%d}/not-out-yet/) and "
        "[that](https://example.org/a) and [that again](https://example.org/a)."
    )
    draft = draft_by(
        writer,
        title="A headline far too long for any search result to show it in full, alas, it is cut",
        standfirst="Short.",
        body=body,
        dateline="",
        tags=[],
    )
    assert unpublished.pk
    page = open_as(browser, live_server, "wendy")
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    checks = page.locator("#desk-checklist")
    for name, level in [
        ("headline", "warning"),
        ("tags", "error"),
        ("links", "warning"),
        ("repeated-links", "warning"),
        ("dateline", "warning"),
        ("social-card", "warning"),
    ]:
        assert checks.locator(f"[data-check={name}]").get_attribute("data-level") == level, name
    assert "not-out-yet/: that article is not published" in checks.inner_text()
    assert checks.locator(".desk-search-title").inner_text().endswith("…")
    # A quote typed without its speaker is flagged as the editor types it.
    page.locator("#quotes-group .add-row a").click()
    page.locator("#id_quotes-0-text").fill("Words nobody said.")
    checks.locator("[data-check=quotes][data-level=error]").wait_for()
    # Typing a dateline clears its warning, and the counts follow every key.
    page.locator("#id_dateline").fill("London")
    checks.locator("[data-check=dateline][data-level=ok]").wait_for()
    page.locator("#id_standfirst").press("Control+End")
    page.locator("#id_standfirst").press_sequentially(" Three more words.")
    assert page.locator("#desk-words").inner_text() == str(4 + len(body.split()))
    page.context.close()


def test_the_toolbar_puts_markdown_around_the_selection(browser, live_server, newsroom):
    _, _, draft = newsroom
    page = open_as(browser, live_server, "wendy")
    page.goto(f"/admin/articles/article/{draft.pk}/change/")
    body = page.locator("#id_body")
    body.fill("Talks in London\nended well")
    body.evaluate("b => b.setSelectionRange(9, 15)")  # “London”
    toolbar = page.get_by_role("toolbar", name="Markdown")
    toolbar.get_by_role("button", name="Bold").click()
    assert body.input_value() == "Talks in **London**\nended well"
    body.evaluate("b => b.setSelectionRange(0, 0)")
    toolbar.get_by_role("button", name="Heading").click()
    assert body.input_value() == "## Talks in **London**\nended well"
    body.evaluate("b => b.setSelectionRange(b.value.length - 4, b.value.length)")  # “well”
    toolbar.get_by_role("button", name="Link").click()
    assert body.input_value().endswith("ended [well](https://)")
    body.evaluate("b => b.setSelectionRange(0, b.value.length)")
    toolbar.get_by_role("button", name="Quote").click()
    assert body.input_value().split("\n") == [
        "> ## Talks in **London**",
        "> ended [well](https://)",
    ]
    # The body grows with its text.
    before = body.bounding_box()["height"]
    body.press("Control+End")
    body.press_sequentially("\n" * 30)
    assert body.bounding_box()["height"] > before + 200
    page.context.close()


def test_ctrl_s_saves_and_stays_on_the_form(browser, live_server, newsroom):
    from articles.models import Article
    from tests.test_editorial import draft_by

    writer, _, _ = newsroom
    draft = draft_by(writer, title="Talks in London", slug="talks-in-london")
    change = f"/admin/articles/article/{draft.pk}/change/"
    page = open_as(browser, live_server, "wendy")
    page.goto(change)
    # A draft's slug follows its headline until it is published.
    page.locator("#id_title").fill("Talks in London end")
    assert page.input_value("#id_slug") == "talks-in-london-end"
    page.locator("#id_body").press("Control+s")
    page.locator(".messagelist", has_text="You may edit it again below").wait_for()
    assert page.url.endswith(change)
    saved = Article.objects.get(pk=draft.pk)
    assert (saved.title, saved.slug) == ("Talks in London end", "talks-in-london-end")
    page.context.close()


def test_a_published_article_s_slug_stays_when_the_headline_changes(browser, live_server, newsroom):
    from tests.factories import make_article

    article = make_article(title="Talks in London", slug="talks-in-london", tags=["Defence"])
    page = open_as(browser, live_server, "edna")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_title").fill("Talks in London ended")
    assert page.input_value("#id_slug") == "talks-in-london"
    page.context.close()
