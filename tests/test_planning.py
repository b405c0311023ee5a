"""The planning desk: coverage planned by editors, started and filed by writers."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services, vocabulary
from articles.models import Article, ArticleEvent, Event
from articles.planning import services as planning
from articles.planning.models import Coverage, EventPlanning
from articles.roles import EDITORS, WRITERS
from tests.factories import link_event, make_article, make_event
from tests.test_editorial import draft_by

pytestmark = pytest.mark.django_db

PLANNING = "/admin/planning/"


def soon(days=0, hours=0):
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


def plan(event, writer=None, **fields):
    status = Coverage.Status.ASSIGNED if writer else Coverage.Status.PLANNED
    fields = {"kind": Coverage.Kind.STORY, "due_at": soon(days=2), "status": status, **fields}
    return Coverage.objects.create(event=event, assignee=writer, **fields)


def future_event(days=3, **fields):
    return make_event(starts_on=timezone.localdate() + datetime.timedelta(days=days), **fields)


def login(client, user):
    client.force_login(user)
    return client


def start_url(coverage):
    return reverse("admin:articles_coverage_start", args=[coverage.pk])


# Roles


def test_editors_plan_coverage_and_writers_only_see_it():
    editors = {p.codename for p in Group.objects.get(name=EDITORS).permissions.all()}
    writers = {p.codename for p in Group.objects.get(name=WRITERS).permissions.all()}
    assert {"add_coverage", "change_coverage", "delete_coverage", "view_coverage"} <= editors
    assert "view_coverage" in writers
    assert not {"add_coverage", "change_coverage", "delete_coverage"} & writers


def test_an_editor_plans_coverage_in_the_admin_and_naming_a_writer_assigns_it(
    client, editor, writer
):
    event = future_event()
    login(client, editor)
    form = client.get(reverse("admin:articles_coverage_add") + f"?event={event.pk}")
    assert form.status_code == 200 and event.name in form.content.decode()
    due = timezone.localtime(soon(days=2))
    response = client.post(
        reverse("admin:articles_coverage_add"),
        {
            "event": event.pk,
            "kind": "story",
            "assignee": writer.pk,
            "due_at_0": due.strftime("%d/%m/%Y"),
            "due_at_1": "17:00:00",
            "brief": "Who signs what.",
            "status": "planned",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    coverage = Coverage.objects.get()
    assert (coverage.event, coverage.assignee, coverage.status) == (event, writer, "assigned")
    assert coverage.created_by == editor


def test_coverage_in_progress_without_a_writer_is_refused_with_a_message(client, editor):
    event = future_event()
    login(client, editor)
    response = client.post(
        reverse("admin:articles_coverage_add"),
        {"event": event.pk, "kind": "story", "status": "in_progress", "brief": ""},
    )
    assert response.status_code == 200
    assert "needs a writer" in response.content.decode()
    assert not Coverage.objects.exists()


def test_a_writer_sees_their_own_assignments_and_nobody_else_s(
    client, writer, other_writer, editor
):
    event = future_event()
    mine = plan(event, writer, brief="Wendy's brief")
    theirs = plan(event, other_writer, brief="Walter's secret brief")
    login(client, writer)
    listing = client.get(reverse("admin:articles_coverage_changelist")).content.decode()
    assert f"/admin/articles/coverage/{mine.pk}/change/" in listing
    assert f"/admin/articles/coverage/{theirs.pk}/change/" not in listing
    assert client.get(reverse("admin:articles_coverage_change", args=[mine.pk])).status_code == 200
    other = client.get(reverse("admin:articles_coverage_change", args=[theirs.pk]))
    assert other.status_code == 302  # the admin's “no such object”
    assert client.get(reverse("admin:articles_coverage_add")).status_code == 403
    # Viewing their own is all: the form is read-only.
    response = client.post(
        reverse("admin:articles_coverage_change", args=[mine.pk]),
        {"event": event.pk, "kind": "pictures", "assignee": writer.pk, "status": "filed"},
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert (mine.kind, mine.status) == ("story", "assigned")


# Starting the piece


def test_a_writer_starts_the_draft_from_their_assignment(client, writer):
    event = future_event(name="Harbour Summit")
    coverage = plan(event, writer, kind=Coverage.Kind.PREVIEW)
    login(client, writer)
    response = client.post(start_url(coverage))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.title == "Preview: Harbour Summit"
    assert list(article.authors.all()) == [writer]
    link = article.event_links.get()
    assert (link.event, link.kind) == (event, ArticleEvent.Kind.PREVIEWS)
    coverage.refresh_from_db()
    assert (coverage.article, coverage.status) == (article, Coverage.Status.IN_PROGRESS)
    # The writer can edit it, as any draft of theirs.
    assert client.get(response["Location"]).status_code == 200
    # Starting again opens the same draft rather than making a second.
    again = client.post(start_url(coverage))
    assert again["Location"] == response["Location"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "link_kind", "title"),
    [
        ("story", "reports_on", "Harbour Summit"),
        ("live", "reports_on", "Live: Harbour Summit"),
        ("pictures", "reports_on", "In pictures: Harbour Summit"),
    ],
)
def test_each_kind_of_coverage_starts_with_its_link(writer, kind, link_kind, title):
    coverage = plan(future_event(name="Harbour Summit"), writer, kind=kind)
    article = planning.start_coverage(coverage, writer)
    assert article.title == title
    assert article.event_links.get().kind == link_kind


def test_a_planned_live_article_starts_as_a_live_draft_from_the_time_it_is_due(writer):
    """Starting planned live coverage makes the draft live; a story stays a plain draft."""
    from reversion.models import Version

    from articles.live.models import LiveCoverage

    live = plan(future_event(), writer, kind=Coverage.Kind.LIVE)
    story = plan(future_event(), writer, kind=Coverage.Kind.STORY)
    planning.start_coverage(live, writer)
    planning.start_coverage(story, writer)
    live.refresh_from_db()
    story.refresh_from_db()
    coverage = LiveCoverage.objects.get(article=live.article)
    assert coverage.is_open
    assert live.article.status == Article.Status.DRAFT
    assert coverage.starts_at == live.due_at
    assert not LiveCoverage.objects.filter(article=story.article).exists()
    comments = [v.revision.comment for v in Version.objects.get_for_object(live.article)]
    assert any("live article" in comment for comment in comments)


def test_nobody_else_starts_a_writer_s_piece(client, writer, other_writer):
    coverage = plan(future_event(), writer)
    login(client, other_writer)
    assert client.post(start_url(coverage)).status_code == 404
    assert client.get(start_url(coverage)).status_code in (404, 405)
    assert not Article.objects.exists()
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.ASSIGNED


def reassign(client, coverage, writer):
    due = timezone.localtime(coverage.due_at)
    return client.post(
        reverse("admin:articles_coverage_change", args=[coverage.pk]),
        {"event": coverage.event_id, "kind": coverage.kind, "assignee": writer.pk,
         "due_at_0": due.strftime("%d/%m/%Y"), "due_at_1": due.strftime("%H:%M:%S"),
         "brief": coverage.brief, "status": coverage.status},
    )  # fmt: skip


def test_a_started_piece_handed_to_another_writer_is_theirs_to_write(
    client, writer, other_writer, editor
):
    """The draft comes with the piece: the new writer opens it from their assignment,
    rather than being sent to a draft they may not open, named by its working title."""
    coverage = plan(future_event(), writer)
    draft = planning.start_coverage(coverage, writer)
    Article.objects.filter(pk=draft.pk).update(title="Wendy working title")
    coverage.refresh_from_db()
    assert reassign(login(client, editor), coverage, other_writer).status_code == 302

    login(client, other_writer)
    response = client.post(start_url(coverage), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[draft.pk]
    )
    assert response.status_code == 200 and "Wendy working title" in response.content.decode()
    assert set(draft.authors.all()) == {writer, other_writer}


def test_handing_over_a_published_piece_leaves_its_byline_alone(client, writer, other_writer,
                                                                  editor):  # fmt: skip
    coverage = plan(future_event(), writer)
    article = planning.start_coverage(coverage, writer)
    article.status, article.published_at = Article.Status.PUBLISHED, soon(hours=-1)
    article.save()
    coverage.refresh_from_db()
    assert reassign(login(client, editor), coverage, other_writer).status_code == 302
    assert list(article.authors.all()) == [writer]


def test_cancelled_or_unassigned_coverage_cannot_be_started(client, editor):
    cancelled = plan(future_event(), editor, status=Coverage.Status.CANCELLED)
    unassigned = plan(future_event())
    login(client, editor)
    for coverage, message in [(cancelled, "was cancelled"), (unassigned, "Assign a writer")]:
        response = client.post(start_url(coverage), follow=True)
        assert message in response.content.decode()
    assert not Article.objects.exists()
    assert client.get(start_url(unassigned)).status_code == 405


def test_publishing_the_article_files_the_coverage_and_unpublishing_reopens_it(writer, editor):
    coverage = plan(future_event(), writer)
    article = planning.start_coverage(coverage, writer)
    article.standfirst = "What happened."
    article.save()
    article.tags.add("Summits")
    services.submit_for_review(article, writer)
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.IN_PROGRESS
    services.publish(article, editor)
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.FILED
    services.unpublish(article, editor)
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.IN_PROGRESS


# Events that change


def test_a_postponed_event_tells_its_writers_in_their_list_and_on_their_start_page(
    client, writer, editor
):
    event = future_event(name="Harbour Summit")
    plan(event, writer)
    login(client, editor)
    client.post(
        reverse("admin:articles_event_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": event.pk,
            "form-0-status": "postponed",
            "_save": "Save",
        },
    )
    event.refresh_from_db()
    assert event.status == "postponed"
    assert event.planning.status_changed_at is not None
    login(client, writer)
    listing = client.get(reverse("admin:articles_coverage_changelist")).content.decode()
    assert "Event postponed" in listing
    start = client.get(reverse("admin:index")).content.decode()
    assert "Events of your assignments that changed" in start
    assert "Harbour Summit" in start


def test_each_change_calendars_show_raises_the_event_s_sequence():
    event = future_event()
    record = EventPlanning.objects.get(event=event)
    assert record.calendar_sequence == 0
    event.status = Event.Status.CANCELLED
    event.save()
    event.location = "Lancaster House"
    event.save()
    event.save()  # nothing changed: no new version
    record.refresh_from_db()
    assert record.calendar_sequence == 2
    assert record.status_changed_at is not None


def test_merging_events_moves_their_coverage(editor, writer):
    kept, merged = future_event(name="Harbour Summit"), future_event(name="Harbour summit")
    coverage = plan(merged, writer)
    vocabulary.merge(kept, [kept, merged], editor)
    coverage.refresh_from_db()
    assert coverage.event == kept


# Found in copy


def test_events_found_by_the_importer_with_a_future_date_await_planning(client, editor):
    from articles.importer import analyse, read_text, save_proposal

    today = timezone.localdate()
    text = (
        "Ministers meet in Brussels\n\nBRUSSELS — The Harbour Summit will take place in "
        f"Brussels on {(today + datetime.timedelta(days=20)).strftime('%-d %B %Y')}, "
        "officials said."
    )
    proposal = analyse(read_text(text.encode()), today)
    assert proposal.events, "the importer should find the summit"
    past = make_event(name="Old Council", starts_on=today - datetime.timedelta(days=400))
    article = save_proposal(proposal, user=editor)
    planning.note_found_in_copy(article, [past])
    found = EventPlanning.objects.filter(found_at__isnull=False)
    assert [record.event.name for record in found] == [proposal.events[0].name]
    assert found.get().found_in == article
    login(client, editor)
    start = found.get().event.starts_on.isoformat()
    page = client.get(PLANNING, {"start": start}).content.decode()
    assert "Found in copy, not yet planned" in page
    assert client.get(reverse("admin:index")).content.decode().count("Found in copy") >= 1


def test_events_sent_through_the_api_with_a_future_date_await_planning(client, writer):
    import json

    from articles.models import ApiToken

    event = future_event(days=10, name="EU Foreign Affairs Council")
    _, token = ApiToken.issue(writer, "Agency feed")
    document = {
        "uri": "urn:agency:story:1",
        "type": "text",
        "headlines": [{"role": "main", "value": "Ministers to meet in Brussels"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Ministers meet."}],
        "events": [{"name": "EU Foreign Affairs Council", "rel": "previews"}],
    }
    response = client.post(
        "/api/ingest/",
        json.dumps(document),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    record = EventPlanning.objects.get(event=event)
    assert record.found_at is not None
    assert record.found_in_id == response.json()["id"]


# The planning view


def test_the_planning_view_shows_each_event_with_its_coverage_and_articles(client, editor, writer):
    event = future_event(days=1, name="Harbour Summit")
    plan(event, writer, brief="Arrivals and the communiqué.")
    article = make_article(title="What to expect at the harbour")
    link_event(article, event, ArticleEvent.Kind.PREVIEWS)
    future_event(days=2, name="Lonely Council")
    login(client, editor)
    page = client.get(PLANNING).content.decode()
    assert "Harbour Summit" in page and "Arrivals and the communiqué." in page
    assert "What to expect at the harbour" in page and "previews" in page
    assert "Lonely Council" in page and "No coverage yet" in page
    uncovered = client.get(PLANNING, {"uncovered": "1"}).content.decode()
    assert "Lonely Council" in uncovered and "Harbour Summit" not in uncovered


def test_the_planning_view_filters_by_tag_and_status_and_pages_by_day_week_month(client, editor):
    day = timezone.localdate() + datetime.timedelta(days=40)
    tagged = make_event(name="Tagged Summit", starts_on=day)
    link_event(make_article(tags=["Harbours"]), tagged)
    make_event(name="Cancelled Council", starts_on=day, status=Event.Status.CANCELLED)
    make_event(name="Next Day Meeting", starts_on=day + datetime.timedelta(days=1))
    login(client, editor)
    start = day.isoformat()
    by_tag = client.get(PLANNING, {"start": start, "tag": "harbours"}).content.decode()
    assert "Tagged Summit" in by_tag and "Cancelled Council" not in by_tag
    by_status = client.get(PLANNING, {"start": start, "status": "cancelled"}).content.decode()
    assert "Cancelled Council" in by_status and "Tagged Summit" not in by_status
    one_day = client.get(PLANNING, {"start": start, "view": "day"}).content.decode()
    assert "Tagged Summit" in one_day and "Next Day Meeting" not in one_day
    month = client.get(PLANNING, {"start": start, "view": "month"}).content.decode()
    assert 'class="planning-grid"' in month and "Next Day Meeting" in month


@pytest.mark.parametrize(
    "query",
    [
        {"start": "notadate"},
        {"start": "0001-01-01"},
        {"start": "9999-12-31", "view": "month"},
        {"view": "year"},
        {"tag": "no-such-tag"},
        {"status": "exploded"},
        {"tag": "x" * 500},
        {"uncovered": "maybe"},
    ],
)
def test_bad_planning_filters_get_a_message_not_an_error(client, editor, query):
    future_event(days=1, name="Harbour Summit")
    login(client, editor)
    response = client.get(PLANNING, query)
    assert response.status_code == 200


def test_a_writer_s_planning_view_holds_only_their_assignments(client, writer, other_writer):
    event = future_event(days=1, name="Harbour Summit")
    plan(event, writer, brief="Wendy covers arrivals")
    plan(event, other_writer, brief="Walter's secret angle")
    secret = draft_by(other_writer, title="Walter's hidden draft")
    link_event(secret, event)
    future_event(days=1, name="Council nobody gave Wendy")
    login(client, writer)
    page = client.get(PLANNING).content.decode()
    assert "Harbour Summit" in page and "Wendy covers arrivals" in page
    assert "Walter's secret angle" not in page
    assert "Walter&#x27;s hidden draft" not in page and "Walter's hidden draft" not in page
    assert "Council nobody gave Wendy" not in page
    assert "Plan coverage" not in page


def grow_plan(count, writer, other_writer):
    today = timezone.localdate()
    for n in range(count):
        event = make_event(
            name=f"Meeting {n}",
            starts_on=today + datetime.timedelta(days=n % 7),
            ends_on=today + datetime.timedelta(days=n % 7 + n % 2),
        )
        plan(event, writer, due_at=soon(days=n % 5 - 2), kind=Coverage.Kind.STORY)
        plan(event, other_writer, kind=Coverage.Kind.PICTURES)
        article = make_article(tags=[f"tag {n}"])
        link_event(article, event)
        if n % 3 == 0:
            planning.start_coverage(Coverage.objects.filter(event=event).first(), writer)
        if n % 4 == 0:
            make_event(name=f"Uncovered {n}", starts_on=today + datetime.timedelta(days=n % 7))


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("who", ["editor", "writer"])
@pytest.mark.parametrize("view", ["day", "week", "month"])
def test_the_planning_view_runs_as_many_queries_for_50_events_as_for_5(
    client, editor, writer, other_writer, who, view
):
    """Guards N+1s on each event's coverage, writers, started articles and linked articles."""
    login(client, editor if who == "editor" else writer)
    grow_plan(5, writer, other_writer)
    count_queries(client, PLANNING, {"view": view})  # per-process caches
    small, _ = count_queries(client, PLANNING, {"view": view})
    grow_plan(45, writer, other_writer)
    big, page = count_queries(client, PLANNING, {"view": view})
    assert "Meeting 44" in page or view == "day"
    assert big == small


# The start page


def test_the_start_page_shows_a_writer_what_is_theirs(client, writer, other_writer, editor):
    mine = plan(future_event(name="Harbour Summit"), writer, due_at=soon(days=2))
    plan(future_event(name="Later Summit", days=30), writer, due_at=soon(days=30))
    plan(future_event(name="Walter's Summit"), other_writer)
    review = draft_by(writer, title="Wendy's story in review")
    services.submit_for_review(review, writer)
    published = make_article(title="Wendy's published story")
    published.authors.add(writer)
    services.add_correction(published, "The summit is on Tuesday, not Monday.", editor)
    login(client, writer)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Harbour Summit" in page and start_url(mine) in page
    assert "Later Summit" not in page  # not due soon
    assert "Walter&#x27;s Summit" not in page
    assert "Wendy&#x27;s story in review" in page
    assert "The summit is on Tuesday, not Monday." in page
    assert "Overdue coverage" not in page  # an editor's section


def test_the_start_page_shows_an_editor_what_is_overdue_and_uncovered(client, editor, writer):
    late = future_event(name="Late Summit")
    plan(late, writer, due_at=soon(hours=-3))
    future_event(days=2, name="Nobody's Council")
    future_event(days=20, name="Far Council")
    covered = future_event(days=2, name="Covered Council")
    plan(covered, writer, due_at=soon(days=2))
    login(client, editor)
    page = client.get(reverse("admin:index")).content.decode()
    overdue = page.split('id="overdue"')[1].split('id="uncovered"')[0]
    uncovered = page.split('id="uncovered"')[1]
    assert "Late Summit" in overdue
    assert "Nobody&#x27;s Council" in uncovered
    assert "Covered Council" not in uncovered and "Far Council" not in uncovered


@pytest.mark.parametrize("who", ["editor", "writer"])
def test_the_start_page_runs_as_many_queries_for_50_events_as_for_5(
    client, editor, writer, other_writer, who
):
    """Guards N+1s on each assignment's event and article, each correction's article."""
    user = editor if who == "editor" else writer
    login(client, user)
    grow_plan(5, writer, other_writer)
    count_queries(client, reverse("admin:index"))
    small, _ = count_queries(client, reverse("admin:index"))
    grow_plan(45, writer, other_writer)
    for article in Article.objects.filter(coverage__assignee=writer)[:10]:
        services.add_correction(article, f"Correction to {article.pk}.", editor)
    Event.objects.filter(name__startswith="Meeting 1").update(status="postponed")
    big, page = count_queries(client, reverse("admin:index"))
    assert "Meeting" in page
    assert big == small


def test_the_coverage_list_runs_as_many_queries_for_50_events_as_for_5(
    client, editor, writer, other_writer
):
    login(client, editor)
    grow_plan(5, writer, other_writer)
    url = reverse("admin:articles_coverage_changelist")
    count_queries(client, url)
    small, _ = count_queries(client, url)
    grow_plan(45, writer, other_writer)
    big, _ = count_queries(client, url)
    assert big == small


# The demo


def test_load_demo_plans_coverage_of_both_summits_for_the_demo_writer(demo_article):
    from django.core.management import call_command

    pieces = Coverage.objects.select_related("event", "assignee")
    planned = sorted((c.event.slug, c.kind, c.assignee.username) for c in pieces)
    assert planned == [
        ("berlin-process-summit-2025", "live", "writer"),
        ("berlin-process-summit-2025", "story", "writer"),
        ("uk-eu-summit-2025", "live", "writer"),
        ("uk-eu-summit-2025", "story", "writer"),
    ]
    assert pieces.get(event__slug="uk-eu-summit-2025", kind="story").due_at.date() == (
        datetime.date(2025, 5, 19)
    )
    call_command("load_demo")
    assert Coverage.objects.count() == 4


def test_the_demo_s_planning_view_is_populated(client, demo_article, editor):
    login(client, editor)
    page = client.get(PLANNING, {"start": "2025-05-19"}).content.decode()
    assert "UK–EU Summit" in page and "Live article" in page and "Wendy Writer" in page
    # From any week, the open coverage on other dates leads to it.
    assert "UK–EU Summit" in client.get(PLANNING).content.decode()
