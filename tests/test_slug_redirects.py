"""Old addresses of tags, people and events: entered in the admin, served in one hop."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import SlugRedirect
from tests.factories import link_event, make_article, make_event, make_person, make_quote, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """A public tag, person and event, each with a page and (tag, event) a feed."""
    article = make_article(tags=["Ukraine", "Russia"])
    make_quote(article, make_person(name="Kaja Kallas"))
    link_event(article, make_event(name="Summit"))
    return article


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    return client


def add_redirect(client, kind, old_slug, new_slug):
    return client.post(
        reverse("admin:articles_slugredirect_add"),
        {"kind": kind, "old_slug": old_slug, "new_slug": new_slug},
    )


# Entered in the admin


@pytest.mark.parametrize(
    ("kind", "old_slug", "new_slug", "field", "message"),
    [
        ("tag", "ukraine-war", "a/b", "new_slug", "Enter a valid “slug”"),
        ("tag", "a/b", "ukraine", "old_slug", "Enter a valid “slug”"),
        ("tag", "ukraine-war", "ukraine+russia", "new_slug", "Enter a valid “slug”"),
        ("person", "kaja-kalas", "kaja-källas", "new_slug", "Enter a valid “slug”"),
        ("event", "the summit", "summit", "old_slug", "Enter a valid “slug”"),
        ("tag", "ukraine-war", "no-such-tag", "new_slug", "There is no tag “no-such-tag”."),
        ("person", "kaja", "nobody", "new_slug", "There is no person “nobody”."),
        ("event", "old-summit", "summit-2", "new_slug", "There is no event “summit-2”."),
        ("tag", "russia", "ukraine", "old_slug", "the address of a tag in use"),
        ("tag", "gone", "gone", "new_slug", "must lead to another address"),
    ],
)
def test_the_admin_refuses_a_redirect_that_could_not_work(
    editor_client, newsroom, kind, old_slug, new_slug, field, message
):
    response = add_redirect(editor_client, kind, old_slug, new_slug)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    assert not SlugRedirect.objects.exists()


def test_a_redirect_to_an_old_address_is_refused_naming_the_current_one(editor_client, newsroom):
    SlugRedirect.objects.create(kind="tag", old_slug="ukrainian-war", new_slug="ukraine")
    response = add_redirect(editor_client, "tag", "war-in-ukraine", "ukrainian-war")
    assert response.status_code == 200
    assert "it is an old address of “ukraine”: redirect to that." in response.content.decode()
    assert SlugRedirect.objects.count() == 1


def test_two_redirects_cannot_make_a_loop(editor_client, newsroom):
    assert add_redirect(editor_client, "event", "summit-old", "summit").status_code == 302
    response = add_redirect(editor_client, "event", "summit", "summit-old")
    assert response.status_code == 200
    assert SlugRedirect.objects.count() == 1
    assert editor_client.get("/events/summit-old/")["Location"] == "/events/summit/"
    assert editor_client.get("/events/summit/").status_code == 200


@pytest.mark.parametrize(
    ("kind", "old_url", "new_slug", "new_url"),
    [
        ("tag", "/tags/ukraine-war/", "ukraine", "/tags/ukraine/"),
        ("tag", "/tags/ukraine-war/feed/", "ukraine", "/tags/ukraine/feed/"),
        ("tag", "/tags/russia+ukraine-war/", "ukraine", "/tags/russia+ukraine/"),
        ("person", "/people/kaja-kalas/", "kaja-kallas", "/people/kaja-kallas/"),
        ("event", "/events/sumit/", "summit", "/events/summit/"),
        ("event", "/events/sumit/feed/", "summit", "/events/summit/feed/"),
    ],
)
def test_a_redirect_entered_in_the_admin_answers_in_one_hop(
    editor_client, newsroom, kind, old_url, new_slug, new_url
):
    old_slug = old_url.rstrip("/").removesuffix("/feed").rsplit("/", 1)[1].split("+")[-1]
    assert add_redirect(editor_client, kind, old_slug, new_slug).status_code == 302
    response = editor_client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, new_url)
    assert editor_client.get(new_url).status_code == 200


# Served at the public addresses, whatever rows the table holds (from before these checks,
# from an archive, or left behind when a tag, person or event was deleted)

OLD_ADDRESSES = {
    "tag": ["/tags/old/", "/tags/old/feed/", "/tags/russia+old/"],
    "person": ["/people/old/"],
    "event": ["/events/old/", "/events/old/feed/"],
}


def every_old_address():
    return [(kind, url) for kind, urls in OLD_ADDRESSES.items() for url in urls]


def redirects(kind, *pairs):
    for old_slug, new_slug in pairs:
        SlugRedirect.objects.create(kind=kind, old_slug=old_slug, new_slug=new_slug)


@pytest.mark.parametrize(("kind", "url"), every_old_address())
@pytest.mark.parametrize("target", ["a/b", "a+b", "två ord", "no-such-thing", ""])
def test_a_redirect_to_an_impossible_or_missing_address_answers_404(
    client, newsroom, kind, url, target
):
    redirects(kind, ("old", target))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("kind", "url"), every_old_address())
def test_redirects_in_a_loop_answer_404_not_a_redirect_loop(client, newsroom, kind, url):
    redirects(kind, ("old", "older"), ("older", "oldest"), ("oldest", "old"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("kind", "url"), every_old_address())
def test_a_chain_of_redirects_is_served_as_one_hop_to_its_end(client, newsroom, kind, url):
    current = {"tag": "ukraine", "person": "kaja-kallas", "event": "summit"}[kind]
    redirects(kind, ("old", "older"), ("older", current))
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == url.replace("old", current)
    assert client.get(response["Location"]).status_code == 200


def test_a_tag_whose_redirect_points_at_a_tag_no_reader_sees_answers_404(client, newsroom):
    """Two unpublished tags redirected at each other: one hop at most, then 404."""
    Tag.objects.create(name="Hidden one", slug="hidden-one")
    Tag.objects.create(name="Hidden two", slug="hidden-two")
    redirects(
        "tag", ("hidden-one", "hidden-two"), ("hidden-two", "hidden-one"), ("old", "hidden-one")
    )
    assert client.get("/tags/hidden-one/").status_code == 404
    assert client.get("/tags/hidden-two/").status_code == 404
    response = client.get("/tags/old/")
    assert (response.status_code, response["Location"]) == (301, "/tags/hidden-one/")
    assert client.get("/tags/hidden-one/").status_code == 404


def test_a_person_redirected_to_a_slug_no_address_can_hold_answers_404(client, newsroom):
    make_person(name="Jürgen", slug="jürgen")
    redirects("person", ("old", "jürgen"))
    assert client.get("/people/old/").status_code == 404
