"""Tags, people and events as managed vocabularies: merges, redirects, near-duplicates."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from taggit.models import Tag

from articles import vocabulary
from articles.models import (
    ArticleEvent,
    Event,
    MergeRecord,
    Person,
    Quote,
    SlugRedirect,
    TaggedArticle,
    TagProfile,
)
from articles.roles import EDITORS, WRITERS
from tests.factories import link_event, make_article, make_event, make_person, make_quote, make_user

pytestmark = pytest.mark.django_db


def staff(role):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


# Case-insensitive tags


def test_typing_a_tag_in_another_case_reuses_the_existing_one():
    first = make_article(tags=["Ukraine"])
    second = make_article(tags=["ukraine"])
    assert Tag.objects.count() == 1
    assert first.tags.get() == second.tags.get()


def test_the_command_merges_case_duplicates_made_before(client):
    ukraine = Tag.objects.create(name="Ukraine", slug="ukraine")
    lower = Tag.objects.create(name="ukraine", slug="ukraine-2")
    both = make_article()
    TaggedArticle.objects.create(content_object=both, tag=ukraine)
    TaggedArticle.objects.create(content_object=both, tag=lower)
    only_lower = make_article(title="Only lower")
    TaggedArticle.objects.create(content_object=only_lower, tag=lower)
    make_article().tags.add(ukraine)

    call_command("merge_tag_case_duplicates")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Ukraine"]
    assert TaggedArticle.objects.filter(content_object=both).count() == 1
    assert only_lower.tags.get() == ukraine
    assert client.get("/tags/ukraine-2/")["Location"] == "/tags/ukraine/"


# Merging


def test_merging_tags_moves_every_article_without_duplicate_rows(client):
    ukraine = Tag.objects.create(name="Ukraine", slug="ukraine")
    war = Tag.objects.create(name="Ukrainian war", slug="ukrainian-war")
    overlap = make_article(title="Tagged with both")
    overlap.tags.add(ukraine, war)
    only_war = make_article(title="Tagged war only")
    only_war.tags.add(war)
    editor = staff(EDITORS)

    record = vocabulary.merge(ukraine, [ukraine, war], editor)
    assert not Tag.objects.filter(pk=war.pk).exists()
    assert TaggedArticle.objects.filter(content_object=overlap).count() == 1
    assert set(only_war.tags.all()) == {ukraine}
    assert (record.moved, record.dropped_duplicates, record.merged_by) == (1, 1, editor)
    assert record.merged == [{"name": "Ukrainian war", "slug": "ukrainian-war"}]
    html = client.get("/tags/ukraine/").content.decode()
    assert "Tagged with both" in html and "Tagged war only" in html


def test_merging_people_moves_their_quotes_and_keeps_a_description():
    kallas = make_person(name="Kaja Kallas")
    typo = make_person(name="Kaja Kalas", description="EU foreign policy chief.")
    quote = make_quote(make_article(), typo)
    vocabulary.merge(kallas, [typo])
    quote.refresh_from_db()
    kallas.refresh_from_db()
    assert quote.speaker == kallas
    assert kallas.description == "EU foreign policy chief."
    assert Person.objects.count() == 1


def test_merging_events_keeps_one_link_per_article():
    summit = make_event(name="UK–EU Summit")
    copy = make_event(name="UK-EU summit")
    article = make_article()
    link_event(article, summit, ArticleEvent.Kind.PREVIEWS)
    link_event(article, copy, ArticleEvent.Kind.MENTIONS)
    other = make_article()
    link_event(other, copy)
    vocabulary.merge(summit, [copy])
    assert list(article.event_links.values_list("event", "kind")) == [(summit.pk, "previews")]
    assert other.event_links.get().event == summit


def test_a_failed_merge_changes_nothing(monkeypatch):
    ukraine, war = Tag.objects.create(name="Ukraine"), Tag.objects.create(name="War")
    make_article().tags.add(war)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(MergeRecord.objects, "create", explode)
    with pytest.raises(RuntimeError):
        vocabulary.merge(ukraine, [war])
    assert Tag.objects.filter(pk=war.pk).exists()
    assert TaggedArticle.objects.get().tag == war
    assert not SlugRedirect.objects.exists()


def test_an_editor_merges_through_the_admin_and_the_merge_is_recorded(client):
    kallas, typo = make_person(name="Kaja Kallas"), make_person(name="Kaja Kalas")
    make_quote(make_article(), typo)
    client.force_login(staff(EDITORS))
    url = reverse("admin:articles_person_changelist")
    ids = [kallas.pk, typo.pk]
    confirm = client.post(url, {"action": "merge_selected", "_selected_action": ids})
    assert confirm.status_code == 200
    assert "Choose the one to keep" in confirm.content.decode()
    client.post(url, {"action": "merge_selected", "_selected_action": ids, "survivor": kallas.pk})
    assert list(Person.objects.all()) == [kallas]
    assert Quote.objects.get().speaker == kallas
    records = client.get(reverse("admin:articles_mergerecord_changelist")).content.decode()
    assert "Kaja Kalas → Kaja Kallas" in records


def test_only_editors_merge(client):
    kallas, typo = make_person(name="Kaja Kallas"), make_person(name="Kaja Kalas")
    client.force_login(staff(WRITERS))
    url = reverse("admin:articles_person_changelist")
    client.post(
        url,
        {
            "action": "merge_selected",
            "_selected_action": [kallas.pk, typo.pk],
            "survivor": kallas.pk,
        },
    )
    assert Person.objects.count() == 2
    ukraine, war = Tag.objects.create(name="Ukraine"), Tag.objects.create(name="War")
    response = client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [ukraine.pk, war.pk],
            "survivor": ukraine.pk,
        },
    )
    assert response.status_code in {200, 403}  # the action is not even offered
    assert Tag.objects.count() == 2


# Old addresses


def test_a_renamed_person_s_old_address_redirects_permanently(client):
    person = make_person(name="Kaja Kalas")
    make_quote(make_article(), person)
    old_url = person.get_absolute_url()
    client.force_login(staff(EDITORS))
    response = client.post(
        reverse("admin:articles_person_change", args=[person.pk]),
        {
            "name": "Kaja Kallas",
            "slug": person.slug,
            "role": "",
            "organisation": "",
            "description": "",
            "not_a_duplicate": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.slug == "kaja-kallas"
    redirect = client.get(old_url)
    assert redirect.status_code == 301
    assert redirect["Location"] == "/people/kaja-kallas/"


def test_two_renames_still_end_in_one_redirect(client):
    event = make_event(name="Summit", slug="summit-a")
    link_event(make_article(), event)
    event.slug = "summit-b"
    event.save()
    event.slug = "summit-c"
    event.save()
    for old in ["summit-a", "summit-b"]:
        response = client.get(f"/events/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/events/summit-c/")
        feed = client.get(f"/events/{old}/feed/")
        assert (feed.status_code, feed["Location"]) == (301, "/events/summit-c/feed/")


def test_a_merged_tag_redirects_pages_feeds_and_tag_combinations(client):
    ukraine = Tag.objects.create(name="Ukraine", slug="ukraine")
    war = Tag.objects.create(name="Ukrainian war", slug="ukrainian-war")
    make_article(tags=["Russia"]).tags.add(war)
    vocabulary.merge(ukraine, [war])
    assert client.get("/tags/ukrainian-war/")["Location"] == "/tags/ukraine/"
    assert client.get("/tags/ukrainian-war/feed/")["Location"] == "/tags/ukraine/feed/"
    response = client.get("/tags/russia+ukrainian-war/")
    assert (response.status_code, response["Location"]) == (301, "/tags/russia+ukraine/")


def test_a_reused_slug_is_no_longer_redirected(client):
    event = make_event(name="Summit", slug="summit")
    event.slug = "summit-2025"
    event.save()
    fresh = make_event(name="Summit", slug="summit")
    link_event(make_article(), fresh)
    assert client.get("/events/summit/").status_code == 200
    assert fresh.get_absolute_url() == "/events/summit/"


# Near-duplicates and autocomplete


def test_a_name_close_to_an_existing_one_is_questioned_before_saving(client):
    make_person(name="Kaja Kallas")
    client.force_login(staff(EDITORS))
    url = reverse("admin:articles_person_add")
    data = {"name": "Kaja Kalas", "slug": "", "role": "", "organisation": "", "description": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "“Kaja Kallas” already exists." in response.content.decode()
    assert Person.objects.count() == 1
    assert client.post(url, {**data, "not_a_duplicate": "on"}).status_code == 302
    assert Person.objects.count() == 2


def test_autocomplete_ranks_exact_and_prefix_matches_first_with_usage_counts(client):
    busy = make_person(name="Anna Smith-Kallas")
    for _ in range(3):
        make_quote(make_article(), busy)
    make_person(name="Kallas")
    make_person(name="Kaja Kallas")
    client.force_login(staff(EDITORS))
    response = client.get(
        "/admin/autocomplete/",
        {"term": "kallas", "app_label": "articles", "model_name": "quote", "field_name": "speaker"},
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert texts == ["Kallas (0 uses)", "Anna Smith-Kallas (3 uses)", "Kaja Kallas (0 uses)"]


def test_the_cleanup_page_lists_unused_entries_and_likely_duplicates(client):
    make_person(name="Kaja Kallas")
    make_person(name="Kaja Kalas")
    used = make_person(name="David Lammy")
    make_quote(make_article(), used)
    make_event(name="Forgotten Forum")
    client.force_login(staff(EDITORS))
    html = client.get(reverse("admin:vocabulary")).content.decode()
    assert "“Kaja Kallas”, “Kaja Kalas”" in html or "“Kaja Kalas”, “Kaja Kallas”" in html
    assert "Forgotten Forum" in html
    unused = html.split("Not used anywhere")[2]  # the people section
    assert "David Lammy" not in unused.split("</ul>")[0]


# Descriptions and topics


def test_descriptions_are_sanitized_markdown_and_topics_are_featured(client):
    tag = Tag.objects.create(name="Ukraine", slug="ukraine")
    TagProfile.objects.create(
        tag=tag, description="The **war** <script>alert(1)</script>", is_topic=True
    )
    make_article().tags.add(tag)
    html = client.get("/tags/ukraine/").content.decode()
    assert "The <strong>war</strong>" in html and "<script>alert" not in html
    home = client.get("/").content.decode()
    assert 'id="topics-heading"' in home and 'href="/tags/ukraine/">Ukraine</a>' in home
    # Topics are listed by name; a topic on no public story is not featured yet.
    for name, status in [("Brexit", "published"), ("Asylum", "published"), ("Budget", "draft")]:
        topic = Tag.objects.create(name=name, slug=name.lower())
        TagProfile.objects.create(tag=topic, is_topic=True)
        make_article(status=status).tags.add(topic)
    home = client.get("/").content.decode()
    topics = home[home.index('id="topics-heading"') :].split("</ul>")[0]
    assert re.findall(r'href="/tags/[\w-]+/">([^<]+)</a>', topics) == [
        "Asylum",
        "Brexit",
        "Ukraine",
    ]
    event = make_event(description="Held at *Lancaster House*.")
    link_event(make_article(), event)
    assert "<em>Lancaster House</em>" in client.get(event.get_absolute_url()).content.decode()


def test_an_event_s_status_is_editable_from_the_list_and_shown_on_articles(client):
    event = make_event(name="Council meeting")
    article = make_article()
    link_event(article, event)
    client.force_login(staff(EDITORS))
    client.post(
        reverse("admin:articles_event_changelist"),
        {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
            "form-0-id": str(event.pk), "form-0-status": "postponed", "_save": "Save",
        },
    )  # fmt: skip
    event.refresh_from_db()
    assert event.status == Event.Status.POSTPONED
    assert (
        "Council meeting has been postponed."
        in client.get(article.get_absolute_url()).content.decode()
    )
