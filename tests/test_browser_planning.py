"""The planning desk in a real Chromium: an editor plans, a writer starts and files."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def desk(transactional_db):
    from django.utils import timezone

    from articles.roles import EDITORS, WRITERS
    from tests.factories import make_event, make_staff

    writer, editor = make_staff("wendy", WRITERS), make_staff("edna", EDITORS)
    writer.last_name = "Writer"
    writer.save()
    day = timezone.localdate() + datetime.timedelta(days=3)
    event = make_event(name="Harbour Summit", starts_on=day, location="Brussels")
    return writer, editor, event


def open_as(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_an_editor_plans_a_writer_starts_and_the_published_piece_shows_filed(
    browser, live_server, desk
):
    from articles.models import Article
    from articles.planning.models import Coverage

    writer, _, event = desk
    start = event.starts_on.isoformat()

    # The editor finds the event uncovered in the planning view, and plans a story.
    edna = open_as(browser, live_server, "edna")
    assert "Harbour Summit" in edna.locator("#uncovered").inner_text()
    edna.goto(f"/admin/planning/?start={start}")
    box = edna.locator(f"#event-{event.pk}")
    assert "No coverage yet" in box.inner_text()
    box.get_by_role("link", name="Plan coverage").click()
    assert "Harbour Summit" in edna.locator("#id_event + .select2").inner_text()
    edna.select_option("#id_kind", "story")
    edna.select_option("#id_assignee", label="Wendy Writer")
    edna.fill("#id_due_at_0", event.starts_on.strftime("%d/%m/%Y"))
    edna.fill("#id_due_at_1", "18:00:00")
    edna.fill("#id_brief", "The communiqué, and who walked out.")
    edna.get_by_role("button", name="Save", exact=True).click()
    edna.wait_for_url("**/admin/articles/coverage/")
    coverage = Coverage.objects.get()
    assert (coverage.assignee, coverage.status) == (writer, "assigned")

    # The writer sees it on her start page and starts the draft from it.
    wendy = open_as(browser, live_server, "wendy")
    assignments = wendy.locator("#my-assignments")
    assert "Story: Harbour Summit" in assignments.inner_text()
    assignments.get_by_role("button", name="Start the draft").click()
    wendy.wait_for_url("**/admin/articles/article/*/change/")
    article = Article.objects.get()
    assert wendy.input_value("#id_title") == "Harbour Summit"
    assert wendy.input_value("#id_event_links-0-kind") == "reports_on"
    wendy.fill("#id_standfirst", "Leaders agreed a communiqué after a long night.")
    wendy.fill("#id_body", "BRUSSELS — The summit ended at dawn.")
    wendy.fill("#id_new_tags", "Summits")
    wendy.select_option("#id_status", "in_review")
    wendy.get_by_role("button", name="Save", exact=True).click()
    wendy.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert list(article.authors.all()) == [writer]
    wendy.goto(f"/admin/planning/?start={start}")
    assert "In progress" in wendy.locator(f"#event-{event.pk}").inner_text()

    # Publishing it (an editor's part here) files the coverage.
    edna.goto(f"/admin/articles/article/{article.pk}/change/")
    edna.select_option("#id_status", "published")
    edna.get_by_role("button", name="Save", exact=True).click()
    edna.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert article.is_public
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.FILED
    wendy.goto(f"/admin/planning/?start={start}")
    box = wendy.locator(f"#event-{event.pk}")
    assert "Filed" in box.inner_text()
    assert "Harbour Summit" in box.locator(".planning-articles").inner_text()

    # Readers can now add the event to their calendars.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(event.get_absolute_url())
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename == f"{event.slug}.ics"
    import icalendar

    with open(download.value.path(), "rb") as file:
        [entry] = icalendar.Calendar.from_ical(file.read()).walk("VEVENT")
    assert entry.start == event.starts_on and entry["STATUS"] == "CONFIRMED"
    for page in (edna, wendy, reader):
        page.context.close()
