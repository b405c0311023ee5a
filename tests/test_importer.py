"""The importer: wire copy in, a structured draft out, reviewed before anything is saved."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import importer
from articles.importer import ImportProblem, analyse, read_text, save_proposal
from articles.importer.dates import resolve_day
from articles.models import Article, ArticleEvent, Event, Person, Quote

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEED = DATA / "uk-eu-talks-18-march.txt"
MARCH_18 = datetime.date(2025, 3, 18)


def proposal_for(name, date=MARCH_18):
    path = SEED if name == "seed" else DATA / "stories" / name
    return analyse(read_text(path.read_bytes()), date)


def quotes_of(proposal):
    """Each quote as (speaker, role, its first four words)."""
    return [(q.speaker, q.role, " ".join(q.text.split()[:4])) for q in proposal.quotes]


# The seed article, the first acceptance test


def test_the_seed_yields_both_quotes_with_speakers_and_roles():
    assert quotes_of(proposal_for("seed")) == [
        ("David Lammy", "Foreign Secretary", "A strong and secure"),
        ("John Healey", "Defence Secretary", "This Government is stepping"),
    ]


def test_the_seed_yields_its_subheadings_as_markdown():
    proposal = proposal_for("seed")
    assert proposal.subheadings == [
        "A United Front Against Russia",
        "Stepping Up Defence Initiatives",
        "Laying the Groundwork for Future Security",
    ]
    assert "\n\n## Stepping Up Defence Initiatives\n\n" in proposal.body


def test_the_seed_yields_its_events_with_resolved_dates_and_kinds():
    events = {event.name: event for event in proposal_for("seed").events}
    talks = events["High-level talks"]  # “arrives in London today (18 March) for talks”
    assert (talks.starts_on, talks.kind) == (MARCH_18, "reports_on")
    summit = events["UK-EU Summit"]
    assert (summit.starts_on, summit.kind) == (datetime.date(2025, 5, 19), "previews")
    berlin = events["Berlin Process Summit"]
    assert (berlin.date_precision, berlin.kind, berlin.ends_on.year) == ("year", "previews", 2025)
    council = events["European Council meetings"]
    assert (council.starts_on, council.ends_on) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 3, 31),
    )
    assert council.kind == "mentions"


def test_the_seed_yields_at_most_a_dozen_salient_tags():
    tags = proposal_for("seed").tags
    assert len(tags) <= 12
    assert {"Ukraine", "Russia", "European Union", "United Kingdom"} <= set(tags)


def test_the_seed_matches_the_newsroom_s_existing_people_events_and_tags(demo_article):
    proposal = proposal_for("seed")
    assert all(person.existing_id for person in proposal.people)
    events = {event.name: event for event in proposal.events}
    assert events["UK–EU Summit"].existing_id  # “UK-EU” in the text, “UK–EU” in the newsroom
    assert events["Leaders’ Meeting on Ukraine"].existing_id
    assert {"sanctions", "defence", "hybrid threats", "NATO"} <= set(proposal.tags)

    people_before, events_before = Person.objects.count(), set(Event.objects.all())
    article = save_proposal(proposal)
    assert Person.objects.count() == people_before
    # Only what the newsroom did not have yet is new: today's talks and the Council meetings.
    new_events = {event.name for event in set(Event.objects.all()) - events_before}
    assert new_events == {"High-level talks", "European Council meetings"}
    assert article.quotes.get(position=1).speaker.slug == "david-lammy"


def test_import_article_command_saves_the_seed_as_a_draft(capsys):
    call_command("import_article", str(SEED), "--date", "2025-03-18")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.publication_date == MARCH_18
    assert [q.speaker.name for q in article.quotes.order_by("position")] == [
        "David Lammy",
        "John Healey",
    ]
    kinds = {link.event.name: link.kind for link in article.event_links.select_related("event")}
    assert kinds["UK-EU Summit"] == ArticleEvent.Kind.PREVIEWS
    assert "Saved as a draft" in capsys.readouterr().out


def test_import_article_publish(client):
    call_command("import_article", str(SEED), "--date", "2025-03-18", "--publish")
    article = Article.objects.get()
    assert article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200


# Other shapes of story


def test_inline_quotes_said_before_and_after_and_she_said():
    assert quotes_of(proposal_for("inline-quotes.txt")) == [
        ("Anna Berg", "Fisheries Minister", "This is a fair"),
        ("Lars Holm", "Danish delegate", "We have been listening"),
        ("Maria Lopez", "Greenpeace campaigner", "A ten per cent"),
        ("Maria Lopez", "Greenpeace campaigner", "We will keep pressing"),
    ]


def test_a_quote_split_across_paragraphs_is_one_quote():
    (quote,) = proposal_for("split-quote.txt").quotes
    assert quote.speaker == "Priya Shah"
    assert quote.text.startswith("For ten years people in the east")
    assert quote.text.endswith("The first trams will run within four years.")


def test_an_unattributed_quote_is_proposed_without_a_speaker_and_flagged():
    proposal = proposal_for("unattributed.txt")
    (quote,) = proposal.quotes
    assert quote.speaker == ""
    assert any("no identified speaker" in note for note in proposal.notes)
    article = save_proposal(proposal)  # the command's path: the quote is left out
    assert not article.quotes.exists()


def test_a_story_without_quotes_still_gets_headline_standfirst_and_subheading():
    proposal = proposal_for("no-quotes.txt")
    assert proposal.title == "Rail fares to rise by 4.6 per cent in March"
    assert proposal.standfirst.startswith("Regulated rail fares in England")
    assert proposal.subheadings == ["Season tickets"]
    assert proposal.quotes == []


def test_a_dateline_is_recognised_and_taken_out_of_the_text():
    proposal = proposal_for("dateline.txt", datetime.date(2025, 6, 20))
    assert proposal.dateline == "Brussels"
    assert proposal.standfirst.startswith("European Union leaders backed")
    assert quotes_of(proposal) == [
        ("Ursula von der Leyen", "European Commission President", "Every tanker we stop")
    ]
    events = {event.name: event for event in proposal.events}
    assert events["European Council summit"].starts_on == datetime.date(2025, 6, 19)  # Thursday
    assert events["Foreign Affairs Council"].kind == "previews"


def test_markdown_headline_subheadings_and_a_surname_alone():
    proposal = proposal_for("markdown.md")
    assert proposal.title.startswith("Heatwave: hospitals told to prepare")
    assert proposal.subheadings == ["What the forecast says", "Advice for the public"]
    assert quotes_of(proposal) == [
        ("Chris Whitty", "Chief Medical Officer", "Heat kills, quietly and")
    ]


def test_a_day_without_a_year_is_the_nearest_one():
    assert resolve_day(19, 5, None, MARCH_18) == datetime.date(2025, 5, 19)
    assert resolve_day(5, 1, None, datetime.date(2025, 12, 20)) == datetime.date(2026, 1, 5)
    assert resolve_day(20, 12, None, datetime.date(2026, 1, 3)) == datetime.date(2025, 12, 20)


def test_existing_tags_are_matched_case_insensitively():
    from tests.factories import make_article

    make_article(tags=["Ukraine", "sanctions"])
    proposal = analyse("Talks\n\nNew SANCTIONS on trade.\n\nUKRAINE says thanks.", MARCH_18)
    assert proposal.tags[:2] == ["sanctions", "Ukraine"]


# Bad input: a clear message, never a traceback, never half an article


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "not a text file"),
        (b"x" * (5 * 1024 * 1024), "at most 1024 KB"),
        ("Caf\u00e9 talks".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "five-megabytes", "invalid-utf8"],
)
def test_bad_files_give_a_clear_error(tmp_path, data, message):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path))
    assert not Article.objects.exists()


def test_a_file_with_only_a_headline_becomes_a_draft_to_write(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Breaking: parliament dissolved\n", encoding="utf-8")
    call_command("import_article", str(path))
    article = Article.objects.get()
    assert (article.title, article.body, article.status) == (
        "Breaking: parliament dissolved",
        "",
        Article.Status.DRAFT,
    )


def test_publishing_an_unready_import_saves_nothing(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Breaking: parliament dissolved\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Not published"):
        call_command("import_article", str(path), "--publish")
    assert not Article.objects.exists()


def test_a_failure_half_way_leaves_nothing_behind():
    proposal = proposal_for("inline-quotes.txt")
    proposal.people = proposal.people[:1]  # a kept quote now names a dropped person
    people_before = Person.objects.count()
    with pytest.raises(ImportProblem, match="not among the people"):
        save_proposal(proposal)
    assert not Article.objects.exists() and not Quote.objects.exists()
    assert Person.objects.count() == people_before


def test_a_bad_date_option_is_explained(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_article", str(SEED), "--date", "18/03/2025")
    with pytest.raises(CommandError, match="no file"):
        call_command("import_article", str(tmp_path / "missing.txt"))


# The admin page


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def review_data(response, **changes):
    """The review page's forms as the browser would post them back, with ``changes``."""
    review = response.context["review"]
    data = {"_step": "save"}
    for part in review.parts():
        forms = part.forms if hasattr(part, "forms") else [part]
        if hasattr(part, "management_form"):
            for field in part.management_form:
                data[field.html_name] = field.value()
        for form in forms:
            for field in form:
                value = field.value()
                if isinstance(value, bool) or field.name in {"accept", "publish"}:
                    if value:
                        data[field.html_name] = "on"
                elif value is not None:
                    data[field.html_name] = (
                        value.isoformat() if isinstance(value, datetime.date) else value
                    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def analyse_seed(editor_client):
    url = reverse("admin:articles_article_import")
    return editor_client.post(
        url, {"_step": "analyse", "text": SEED.read_text(), "published_on": "2025-03-18"}
    )


def test_the_admin_page_shows_what_was_found_before_saving(editor_client):
    assert editor_client.get(reverse("admin:articles_article_import")).status_code == 200
    response = analyse_seed(editor_client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "David Lammy" in html and "Foreign Secretary" in html
    assert "Berlin Process Summit" in html
    assert not Article.objects.exists()  # nothing saved until the editor says so


def shown_evidence(html):
    """The sentences shown beside the quotes as the reading of their speaker and role."""
    return re.findall(r'class="quote-evidence"><input[^>]*>([^<]+)</td>', html)


def test_each_quote_is_shown_with_the_sentence_that_gave_its_speaker_and_role(editor_client):
    response = analyse_seed(editor_client)
    assert shown_evidence(response.content.decode()) == [
        "Foreign Secretary David Lammy underscored the urgency of the moment:",
        "Defence Secretary John Healey made the UK’s stance crystal clear:",
    ]
    data = review_data(response, **{"people-0-accept": None})  # an error: the page again
    response = editor_client.post(reverse("admin:articles_article_import"), data)
    assert len(shown_evidence(response.content.decode())) == 2


def test_a_quote_read_from_a_pronoun_shows_the_sentence_that_named_its_speaker(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {
            "_step": "analyse",
            "text": (DATA / "stories" / "inline-quotes.txt").read_text(),
            "published_on": "2025-03-18",
        },
    )
    last = shown_evidence(response.content.decode())[-1]
    assert last.startswith("Greenpeace campaigner Maria Lopez said:")
    assert last.endswith("she added.")


def test_the_editor_drops_a_quote_and_a_tag_then_saves_a_draft(editor_client):
    response = analyse_seed(editor_client)
    review = response.context["review"]
    tag_index = [f["name"].value() for f in review.tags].index("Russia")
    data = review_data(response, **{"quotes-1-accept": None, f"tags-{tag_index}-accept": None})
    data["title"] = "UK and EU join forces on Ukraine"
    response = editor_client.post(reverse("admin:articles_article_import"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "UK and EU join forces on Ukraine"
    assert article.status == Article.Status.DRAFT
    assert [q.speaker.name for q in article.quotes.all()] == ["David Lammy"]
    assert "Russia" not in {t.name for t in article.tags.all()}
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])


def test_a_kept_quote_whose_speaker_was_dropped_is_a_form_error(editor_client):
    response = analyse_seed(editor_client)
    data = review_data(response, **{"people-0-accept": None})
    response = editor_client.post(reverse("admin:articles_article_import"), data)
    assert response.status_code == 200
    assert "Keep David Lammy among the people below, or drop it." in response.content.decode()
    assert not Article.objects.exists()


def test_an_unreadable_upload_is_explained_on_the_page(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("story.txt", b"\xff\xfe\x00\x00binary")
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"_step": "analyse", "file": upload, "published_on": "2025-03-18"},
    )
    assert response.status_code == 200
    assert "not a text file" in response.content.decode()


def test_a_writer_imports_but_cannot_publish(client):
    from django.contrib.auth.models import Group

    from articles.roles import WRITERS
    from tests.factories import make_user

    writer = make_user("wendy", is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITERS))
    client.force_login(writer)
    response = analyse_seed(client)
    assert "Publish at once" not in response.content.decode()
    data = review_data(response, publish="on")
    client.post(reverse("admin:articles_article_import"), data)
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by == writer


def test_the_importer_api_is_public():
    assert {"analyse", "read_text", "save_proposal", "ImportProblem"} <= set(importer.__all__)


def test_a_line_of_spaces_between_paragraphs_is_harmless():
    proposal = analyse("Talks\n\nFirst paragraph.\n\n   \n\nSecond paragraph.", MARCH_18)
    assert proposal.title == "Talks"
    assert proposal.body == "Second paragraph."


def test_a_quote_by_someone_the_newsroom_knows_is_kept_even_if_not_listed(demo_article):
    proposal = proposal_for("seed")
    proposal.people = []  # both speakers exist already
    article = save_proposal(proposal)
    assert [q.speaker.slug for q in article.quotes.all()] == ["david-lammy", "john-healey"]


def test_an_event_ending_before_it_starts_is_a_review_error(editor_client):
    response = analyse_seed(editor_client)
    review = response.context["review"]
    index = [f["name"].value() for f in review.events].index("UK-EU Summit")
    data = review_data(
        response,
        **{f"events-{index}-starts_on": "2025-05-19", f"events-{index}-ends_on": "2025-05-01"},
    )
    response = editor_client.post(reverse("admin:articles_article_import"), data)
    assert response.status_code == 200
    assert "An event cannot end before it starts." in response.content.decode()
    assert not Article.objects.exists()
