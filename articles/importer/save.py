"""Saving what the editor accepted: one article with everything, or nothing at all."""

import datetime

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles import languages, limits
from articles.importer.analyse import names_query
from articles.importer.proposal import ImportProblem
from articles.markdown import nesting_problem
from articles.models import Article, ArticleEvent, Event, Person, Quote, make_slug
from articles.planning import services as planning


def publication_time(published_on):
    """Now, if the story is dated today; otherwise nine in the morning of its date."""
    if published_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(9)))


def free_slug(title, published_on, language=None):
    base = make_slug(title)[:190] or "article"
    slug, n = base, 2
    taken = Article.objects.filter(
        publication_date=published_on, language=language or languages.default()
    )
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_limits(proposal):
    """Raise ImportProblem if the article would be past one of the limits on its text."""
    quotes = [quote for quote in proposal.quotes if quote.speaker]
    problems = [
        limits.too_long("body", proposal.body, limits.MAX_BODY_CHARS),
        nesting_problem(proposal.body),
        limits.too_long("standfirst", proposal.standfirst, limits.MAX_STANDFIRST_CHARS),
        *(limits.too_long("quote", quote.text, limits.MAX_QUOTE_CHARS) for quote in quotes),
    ]
    if len(quotes) > limits.MAX_QUOTES_PER_ARTICLE:
        problems.append(
            gettext("An article may have at most %(limit)s quotes; this one would have %(count)s.")
            % {"limit": limits.MAX_QUOTES_PER_ARTICLE, "count": len(quotes)}
        )
    if len(proposal.tags) > limits.MAX_TAGS_PER_ARTICLE:
        problems.append(
            gettext("An article may have at most %(limit)s tags; this one would have %(count)s.")
            % {"limit": limits.MAX_TAGS_PER_ARTICLE, "count": len(proposal.tags)}
        )
    if problems := [problem for problem in problems if problem]:
        raise ImportProblem(" ".join(dict.fromkeys(problems)))


def save_proposal(proposal, user=None, publish=False, language=None):
    """
    Create the article from ``proposal`` (as the editor left it), in ``language`` (else
    the proposal's, else the site's first). Returns the article.

    Raises ImportProblem, having saved nothing, if the article cannot be saved or
    (with ``publish``) is not ready to be published. The limits on its text are checked
    (and the body rendered) before the transaction, which on SQLite holds the write lock.
    """
    check_limits(proposal)
    return _save(proposal, user, publish, language or proposal.language or languages.default())


@transaction.atomic
def _save(proposal, user, publish, language):
    with reversion.create_revision():
        people = {}
        for person in proposal.people:
            existing = Person.objects.filter(pk=person.existing_id).first() or (
                Person.objects.filter(names_query("name", person.name)).first()
            )
            people[person.name] = existing or Person.objects.create(
                name=person.name, role=person.role
            )

        article = Article(
            title=proposal.title[:250],
            slug=free_slug(proposal.title, proposal.published_on, language),
            language=language,
            standfirst=proposal.standfirst,
            body=proposal.body,
            dateline=proposal.dateline[:100],
            status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
            published_at=publication_time(proposal.published_on),
            created_by=user,
            last_edited_by=user,
        )
        try:
            article.full_clean(exclude=["lead_image"])
        except ValidationError as error:
            raise ImportProblem(" ".join(error.messages)) from error
        if publish:
            problems = article.publication_problems(tag_names=proposal.tags)
            if problems:
                raise ImportProblem(gettext("Not published: ") + " ".join(problems.values()))
        article.save()
        if user is not None:
            article.authors.add(user)
        article.tags.add(*proposal.tags)

        position = 0
        for quote in proposal.quotes:
            if not quote.speaker:
                continue
            if quote.speaker not in people and (
                known := Person.objects.filter(names_query("name", quote.speaker)).first()
            ):
                people[quote.speaker] = known  # known to the newsroom, if not listed here
            if quote.speaker not in people:
                raise ImportProblem(
                    gettext(
                        "The quote “%(quote)s…” names %(speaker)s, who is not among the people "
                        "to save."
                    )
                    % {"quote": quote.text[:40], "speaker": quote.speaker}
                )
            position += 1
            Quote.objects.create(
                article=article,
                speaker=people[quote.speaker],
                role=quote.role,
                text=quote.text,
                position=position,
            )

        found = []
        for proposed in proposal.events:
            event = Event.objects.filter(pk=proposed.existing_id).first() or (
                Event.objects.filter(names_query("name", proposed.name)).first()
            )
            if event is None:
                if proposed.starts_on is None:
                    continue  # an event needs at least a date to exist; the editor can add it
                event = Event(
                    name=proposed.name,
                    starts_on=proposed.starts_on,
                    ends_on=proposed.ends_on,
                    date_precision=proposed.date_precision,
                    location=proposed.location,
                )
                try:
                    event.full_clean()
                except ValidationError as error:
                    raise ImportProblem(f"{proposed.name}: {' '.join(error.messages)}") from error
                event.save()
            ArticleEvent.objects.get_or_create(
                article=article, event=event, defaults={"kind": proposed.kind}
            )
            found.append(event)
        planning.note_found_in_copy(article, found)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment("Imported from text")
    return article
