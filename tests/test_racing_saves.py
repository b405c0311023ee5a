"""
Two editors save the same version of an article at the same instant, through a real
gunicorn: one save goes in, the other is refused as stale with its text kept in the
form, and nothing of the refused save (standfirst, quote, tag, event link) is left. A
bulk action racing a save loses neither. Then the other writes that raise the edit
number (actions, corrections, restoring a revision), each between two steps of another.
"""

import os
import re
import subprocess
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles import services
from articles.models import Article
from articles.roles import EDITORS
from tests.factories import make_article, make_staff
from tests.test_editorial import change_url, form_data
from tests.test_load_writers import database_url, writers
from tests.test_revisions import save_through_admin

ROUNDS = 20
SECONDS = 12  # the rounds stop early rather than run past this
MIN_ROUNDS = 5
BULK_ROUNDS = 10
BULK_SECONDS = 8
PASSWORD = "a-long-test-password"

PREPARE = """
import json
from articles.roles import EDITORS
from tests.factories import link_event, make_article, make_quote, make_staff
editors = [make_staff(name, EDITORS) for name in ("racer-ann", "racer-bob")]
article = make_article(title="Racing saves", slug="racing-saves", tags=["Ukraine"])
article.authors.add(*editors)
make_quote(article, text="First words.")
link_event(article)
print(json.dumps({"article": article.pk, "version": article.edit_version,
                  "editors": [e.username for e in editors]}))
"""

STATE = """
import json
from reversion.models import Version
from taggit.models import Tag
from articles.models import Article
article = Article.objects.get(pk=PK)
revisions = [
    v.field_dict for v in Version.objects.get_for_object(article).order_by("pk")
]
print(json.dumps({
    "edit_version": article.edit_version,
    "revisions": [[r["edit_version"], r["standfirst"]] for r in revisions],
    "tags": sorted(article.tags.names()),
    "quotes": [q.text for q in article.quotes.all()],
    "kinds": [link.kind for link in article.event_links.all()],
}))
"""

KINDS = {"racer-ann": "previews", "racer-bob": "follows_up"}


@pytest.fixture
def racing_site(transactional_db, tmp_path):
    """gunicorn with three workers (two saves run at once) on a database the test can read."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url(tmp_path),
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("NEWSROOM_ENV", None)
    if "sqlite" in env["DATABASE_URL"]:
        subprocess.run(
            [writers.PYTHON, "manage.py", "migrate", "-v0"], cwd=writers.ROOT, env=env,
            check=True, timeout=300,
        )  # fmt: skip
    log = tmp_path / "gunicorn.log"
    server, port = writers.start_server(env, 3, log)
    yield env, port, log
    writers.stop_server(server)


def edited_form(page, username, round_number):
    """The change form as ``username`` submits it: their standfirst, quote, tag and link."""
    form = writers.read_form(page, "article_form")
    mark = f"{username} in round {round_number}"
    form["standfirst"] = [f"Standfirst by {mark}."]
    form["quotes-0-text"] = [f"Words by {mark}."]
    form["new_tags"] = [f"{username}-{round_number}"]
    form["event_links-0-kind"] = [KINDS[username]]
    return form


def told(page):
    """The form's error messages, for an assertion's explanation."""
    return re.findall(r'class="errorlist[^"]*">(.*?)</ul>', page, re.S)


def assert_form_shows(page, form, username, edit_version):
    """The change form, opened again, shows what ``form`` saved, at ``edit_version``."""
    shown = writers.read_form(page, "article_form")
    for field in ("standfirst", "quotes-0-text", "event_links-0-kind"):
        assert shown[field] == form[field], f"{field} is not what {username} saved"
    assert shown["base_version"] == [str(edit_version)]


def at_once(browsers, requests):
    """Each browser sends its (method, url, fields), all at the same instant: [(status, page)]."""
    barrier = threading.Barrier(len(browsers))
    results = [(None, "no answer")] * len(browsers)

    def send(n):
        barrier.wait(timeout=30)
        try:
            status, _, page = browsers[n].request(*requests[n])
        except OSError as error:
            status, page = None, repr(error)
        results[n] = (status, page)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def logged_in(port, usernames):
    browsers = []
    for username in usernames:
        browser = writers.Browser(port)
        browser.login("/admin/", username, PASSWORD)
        browsers.append(browser)
    return browsers


@pytest.mark.load
def test_racing_saves_of_the_same_version_keep_exactly_one(racing_site):
    env, port, log = racing_site
    plan = writers.manage_shell(env, PREPARE)
    article_id, usernames, first_version = plan["article"], plan["editors"], plan["version"]
    url = f"/admin/articles/article/{article_id}/change/"
    browsers = logged_in(port, usernames)

    winners, both_acknowledged, rounds = [], [], 0
    kept = None  # the form that won the round before, and its edit number
    stop_at = time.monotonic() + SECONDS
    for round_number in range(1, ROUNDS + 1):
        if time.monotonic() > stop_at:
            break
        opened = at_once(browsers, [("GET", url)] * 2)
        assert [status for status, _ in opened] == [200, 200], opened
        pages = [page for _, page in opened]
        if kept:
            assert_form_shows(pages[0], *kept)
        forms = [
            edited_form(page, username, round_number)
            for page, username in zip(pages, usernames, strict=True)
        ]
        base = int(forms[0]["base_version"][0])
        assert forms[1]["base_version"] == [str(base)]  # both opened the same version

        results = at_once(browsers, [("POST", url, form) for form in forms])

        statuses = [status for status, _ in results]
        rounds += 1
        if statuses == [302, 302]:
            both_acknowledged.append(round_number)  # an edit lost: told below, with the numbers
            kept = None
            continue
        assert sorted(statuses, key=str) == [200, 302], (
            f"round {round_number}: both editors posted edit {base}, "
            f"and the server answered {statuses} (one 302 and one refusal expected)\n"
            + log.read_text()[-3000:]
        )
        winner = statuses.index(302)
        loser = 1 - winner
        refusal = results[loser][1]
        assert f"{usernames[winner].title()} saved this article at" in refusal, told(refusal)
        assert "while you were editing" in refusal, told(refusal)
        assert forms[loser]["standfirst"][0] in refusal  # the refused text is still there
        kept = (forms[winner], usernames[winner], base + 1)
        winners.append(usernames[winner])
    if kept:
        assert_form_shows(browsers[0].request("GET", url)[2], *kept)

    assert rounds >= MIN_ROUNDS, f"only {rounds} rounds in {SECONDS} s"
    state = writers.manage_shell(env, STATE.replace("PK", str(article_id)))
    assert not both_acknowledged, (
        f"both saves were acknowledged in {len(both_acknowledged)} of {rounds} rounds, so one "
        f"editor's text was lost each time; edit numbers of the revisions: "
        f"{[number for number, _ in state['revisions']]}"
    )
    # One revision per round, numbered one after the other, each with the winner's text.
    assert state["edit_version"] == first_version + len(winners)
    assert state["revisions"] == [
        [first_version + n, f"Standfirst by {winner} in round {n}."]
        for n, winner in enumerate(winners, start=1)
    ]
    assert state["tags"] == sorted(
        ["Ukraine", *(f"{winner}-{n}" for n, winner in enumerate(winners, start=1))]
    )
    assert state["quotes"] == [f"Words by {winners[-1]} in round {len(winners)}."]
    assert state["kinds"] == [KINDS[winners[-1]]]
    assert "Traceback" not in log.read_text()


@pytest.mark.load
def test_a_bulk_action_racing_a_save_loses_neither(racing_site):
    """Bob tags the article from the list while Ann saves it: both changes are kept, or
    Ann's save, based on the version before the tag, is refused as stale."""
    env, port, log = racing_site
    plan = writers.manage_shell(env, PREPARE)
    article_id, usernames, first_version = plan["article"], plan["editors"], plan["version"]
    url = f"/admin/articles/article/{article_id}/change/"
    changelist = "/admin/articles/article/"
    browsers = logged_in(port, usernames)

    saved, rounds, standfirst = 0, 0, None
    stop_at = time.monotonic() + BULK_SECONDS
    for round_number in range(1, BULK_ROUNDS + 1):
        if time.monotonic() > stop_at:
            break
        opened = at_once(browsers, [("GET", url), ("GET", changelist)])
        assert [status for status, _ in opened] == [200, 200], opened
        form = edited_form(opened[0][1], usernames[0], round_number)
        del form["new_tags"]  # the tag comes from the list
        action = {
            "csrfmiddlewaretoken": writers.read_form(opened[1][1], "changelist-form")[
                "csrfmiddlewaretoken"
            ],
            "action": "add_tag_to_selected",
            "_selected_action": [str(article_id)],
            "tag_name": f"bulk-{round_number}",
            "index": "0",
        }
        shown = writers.read_form(opened[0][1], "article_form")["standfirst"]
        assert standfirst is None or shown == [standfirst], (
            f"round {round_number}: the article shows {shown}, not “{standfirst}”, the last "
            "text whose save was acknowledged"
        )
        standfirst = shown[0]

        (ann, ann_page), (bob, _) = at_once(
            browsers, [("POST", url, form), ("POST", changelist, action)]
        )

        rounds += 1
        assert bob == 302, log.read_text()[-3000:]
        if ann == 302:
            saved += 1
            standfirst = form["standfirst"][0]
        else:
            assert ann == 200, log.read_text()[-3000:]
            assert "Racer-Bob saved this article at" in ann_page, told(ann_page)
            assert form["standfirst"][0] in ann_page  # her text is still in the form

    assert rounds >= MIN_ROUNDS, f"only {rounds} rounds in {BULK_SECONDS} s"
    state = writers.manage_shell(env, STATE.replace("PK", str(article_id)))
    numbers = [number for number, _ in state["revisions"]]
    assert numbers == list(range(first_version + 1, first_version + rounds + saved + 1)), (
        f"{rounds} tags and {saved} saves acknowledged; edit numbers of the revisions: {numbers}"
    )
    assert state["revisions"][-1][1] == standfirst  # the last acknowledged text
    assert state["tags"] == sorted(["Ukraine", *(f"bulk-{n}" for n in range(1, rounds + 1))])
    assert "Traceback" not in log.read_text()


# The other writes that raise the edit number: each works on the article as it is now.

ACTIONS = {
    "publish": lambda article, user: services.publish(article, user),
    "unpublish": lambda article, user: services.unpublish(article, user),
    "add_tag": lambda article, user: services.add_tag(article, "Diplomacy", user),
    "add_correction": lambda article, user: services.add_correction(article, "A typo.", user),
}


def edit_numbers(article):
    versions = Version.objects.get_for_object(article).order_by("pk")
    return [version.field_dict["edit_version"] for version in versions]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_on_articles_listed_earlier_keeps_an_edit_saved_since(client, action):
    """A bulk action reads its list, then acts on each article: an editor saved meanwhile."""
    editor = make_staff("edna", EDITORS)
    draft = action == "publish"
    article = make_article(
        tags=["Ukraine"],
        status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
        **({"published_at": None} if draft else {}),
    )
    listed = Article.objects.get(pk=article.pk)  # what the action read, before the edit
    client.force_login(editor)
    edit = form_data(article, standfirst="Saved in the meantime.")
    assert client.post(change_url(article), edit).status_code == 302

    ACTIONS[action](listed, editor)

    article.refresh_from_db()
    assert article.standfirst == "Saved in the meantime."
    numbers = edit_numbers(article)
    assert numbers == list(range(numbers[0], numbers[0] + 2))  # the edit's, then the action's


@pytest.mark.django_db
def test_an_action_on_an_article_deleted_since_refuses_and_does_not_bring_it_back():
    editor = make_staff("edna", EDITORS)
    article = make_article(tags=["Ukraine"])
    listed = Article.objects.get(pk=article.pk)
    article.delete()
    with pytest.raises(ValidationError, match="deleted in the meantime"):
        services.unpublish(listed, editor)  # the bulk action reports it as “Not changed”
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_a_restore_opened_before_another_save_is_refused_as_stale(client):
    """Ann opens an old revision to restore it; Bob saves; Ann's restore must not undo it."""
    ann, bob = make_staff("ann", EDITORS), make_staff("bob", EDITORS)
    article = make_article(title="Original headline", tags=["Ukraine"])
    save_through_admin(client, ann, article)
    original = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    save_through_admin(client, ann, article, title="Botched headline")
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, original.pk])
    opened = client.get(revision_url)
    assert opened.status_code == 200
    restore = form_data(Article.objects.get(pk=article.pk), title="Original headline")
    restore["base_version"] = opened.context["adminform"].form["base_version"].value()

    article.refresh_from_db()
    save_through_admin(Client(), bob, article, title="Botched headline", body="Bob's paragraph.")

    response = client.post(revision_url, restore)
    assert response.status_code == 200
    assert "Bob saved this article at" in response.content.decode(), told(response.content.decode())
    article.refresh_from_db()
    assert (article.title, article.body) == ("Botched headline", "Bob's paragraph.")

    # Having seen what Bob did, Ann restores all the same.
    restore["base_version"] = response.context["adminform"].form["base_version"].value()
    assert client.post(revision_url, restore).status_code == 302
    article.refresh_from_db()
    assert article.title == "Original headline"
    numbers = edit_numbers(article)
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db
def test_a_deleted_article_is_recovered_from_its_last_revision(client):
    """Recovering has no later save to lose: the recover form is never refused as stale."""
    ann = make_staff("ann", EDITORS)
    article = make_article(title="Deleted by mistake", tags=["Ukraine"])
    save_through_admin(client, ann, article)
    save_through_admin(client, ann, Article.objects.get(pk=article.pk), body="Edited once.")
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    version = Version.objects.get_deleted(Article).first()
    url = reverse("admin:articles_article_recover", args=[version.pk])

    opened = client.get(url)
    assert opened.status_code == 200
    recover = form_data(article, body="Edited once.", tags=[str(Tag.objects.get().pk)])
    recover["base_version"] = opened.context["adminform"].form["base_version"].value()
    response = client.post(url, recover)
    assert response.status_code == 302, told(response.content.decode())
    recovered = Article.objects.get(pk=article.pk)
    assert (recovered.title, recovered.body) == ("Deleted by mistake", "Edited once.")
