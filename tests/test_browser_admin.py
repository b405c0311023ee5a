"""End-to-end: an editor in a real Chromium, from an empty form to the public tag page."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(transactional_db):
    from django.contrib.auth.models import Group

    from articles.roles import EDITORS
    from tests.factories import make_event, make_person, make_user

    make_person(name="Kaja Kallas", slug="kaja-kallas")
    make_event(name="UK–EU Summit", slug="uk-eu-summit", starts_on=datetime.date(2025, 5, 19))
    user = make_user("edna", is_staff=True, first_name="Edna", last_name="Editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def choose(page, container, text):
    """Pick ``text`` in the admin's autocomplete (select2) inside ``container``."""
    container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_editor_writes_publishes_and_finds_the_article_on_its_tag_page(page, editor):
    page.goto("/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto("/admin/articles/article/add/")

    page.locator("#id_title").press_sequentially("Kallas in London for defence talks")
    assert page.input_value("#id_slug") == "kallas-in-london-for-defence-talks"
    page.fill("#id_standfirst", "The EU's foreign policy chief meets ministers.")
    page.fill("#id_body", "Talks began on Tuesday.\n\n## Defence\n\nSpending is on the agenda.")
    page.fill("#id_new_tags", "Ukraine")

    page.locator("#quotes-group .add-row a").click()
    quote = page.locator("#quotes-0")
    choose(page, quote, "Kaja Kallas")
    page.fill("#id_quotes-0-role", "High Representative")
    page.fill("#id_quotes-0-text", "Europe's security starts in Ukraine.")

    page.locator("#event_links-group .add-row a").click()
    choose(page, page.locator("#event_links-0"), "UK–EU Summit")
    page.select_option("#id_event_links-0-kind", "previews")

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/admin/articles/article/")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    page.goto("/tags/ukraine/")
    page.get_by_role("link", name="Kallas in London for defence talks").click()
    main = page.locator("main").inner_text()
    assert "Europe's security starts in Ukraine." in main
    assert "Kaja Kallas, High Representative" in main
    assert "Previews UK–EU Summit" in main
    assert "By Edna Editor" in main
