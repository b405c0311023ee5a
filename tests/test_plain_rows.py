"""
The object a page is about (an article, a tag, a speaker, an event) is read by one plain
statement (``articles.listings``): it must be the instance the ORM would have made.
"""

import datetime

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles import listings
from articles.models import Article, Event, Person, TagProfile
from articles.views import EVENT_FIELDS
from tests.factories import make_article, make_event, make_person

pytestmark = pytest.mark.django_db


def test_an_event_read_plainly_is_the_one_the_orm_reads():
    event = make_event(
        name="Harbour Summit",
        starts_on=datetime.date(2025, 5, 19),
        ends_on=datetime.date(2025, 5, 21),
        location="Calais",
        status=Event.Status.POSTPONED,
        translations={"fr": {"name": "Sommet du port", "location": "Calais (Pas-de-Calais)"}},
    )
    plain = listings.by_slug(Event, EVENT_FIELDS, event.slug)
    orm = Event.objects.get(pk=event.pk)
    for field in Event._meta.concrete_fields:
        assert getattr(plain, field.attname) == getattr(orm, field.attname), field.name
    assert plain.translations["fr"]["name"] == "Sommet du port"  # JSON read, not text
    assert plain.ends_on == datetime.date(2025, 5, 21)
    assert listings.by_slug(Event, EVENT_FIELDS, "no-such-event") is None


def test_fields_named_in_any_order_land_in_their_own_attributes(django_assert_num_queries):
    person = make_person(name="Kaja Kallas", role="High Representative", organisation="EU")
    with django_assert_num_queries(1):
        plain = listings.by_slug(Person, ("slug", "role", "name", "id"), person.slug)
        assert (plain.pk, plain.name, plain.role, plain.slug) == (
            person.pk,
            "Kaja Kallas",
            "High Representative",
            person.slug,
        )
    assert plain.get_deferred_fields() == {"translations", "organisation", "description"}
    assert plain.organisation == "EU"  # read when asked, as a deferred field is


def test_an_article_read_plainly_keeps_its_moment_and_only_when_public():
    moment = timezone.now().replace(microsecond=123456) - datetime.timedelta(hours=2)
    article = make_article(title="Talks in London", published_at=moment)
    found = listings.public_article(article.publication_date, article.slug)
    assert (found.pk, found.title, found.language) == (article.pk, "Talks in London", "en-gb")
    assert found.published_at == moment and timezone.is_aware(found.published_at)
    assert found.publication_date == article.publication_date
    assert found.rendering_generation is not None  # its stored parts were read with it

    draft = make_article(status=Article.Status.DRAFT, published_at=moment)
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(hours=1))
    for hidden in (draft, scheduled):
        assert listings.public_article(hidden.publication_date, hidden.slug) is None
    other_day = article.publication_date - datetime.timedelta(days=1)
    assert listings.public_article(other_day, article.slug) is None


def test_tags_are_read_with_their_profile_or_none(django_assert_num_queries):
    described = Tag.objects.create(name="Ukraine", slug="ukraine")
    TagProfile.objects.create(
        tag=described, description="The war.", translations={"fr": {"name": "L’Ukraine"}}
    )
    bare = Tag.objects.create(name="Defence", slug="defence")
    with django_assert_num_queries(1):
        tags = {tag.slug: tag for tag in listings.tags_by_slug(["ukraine", "defence", "none"])}
        assert set(tags) == {"ukraine", "defence"}
        assert tags["ukraine"].pk == described.pk and tags["ukraine"].name == "Ukraine"
        assert tags["ukraine"].profile.description == "The war."
        assert tags["ukraine"].profile.translations == {"fr": {"name": "L’Ukraine"}}
        # As select_related("profile") leaves a tag without one: no profile, and no query.
        with pytest.raises(TagProfile.DoesNotExist):
            tags["defence"].profile  # noqa: B018
    assert tags["defence"].pk == bare.pk
    assert listings.tags_by_slug([]) == []
