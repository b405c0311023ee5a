"""
Keeping the index clean: merging tags, people and events, keeping old addresses alive,
and spotting near-duplicates before they are made.
"""

import difflib
import re
import unicodedata
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from taggit.models import Tag

from articles import fragments, limits
from articles.models import (
    ArticleEvent,
    Event,
    MergeRecord,
    Person,
    Quote,
    SlugRedirect,
    TaggedArticle,
)
from articles.planning import services as planning

KINDS = {
    Tag: SlugRedirect.Kind.TAG,
    Person: SlugRedirect.Kind.PERSON,
    Event: SlugRedirect.Kind.EVENT,
}
SIMILARITY = 0.85


def record_slug_change(kind, old_slug, new_slug):
    """``old_slug`` now lives at ``new_slug``; earlier redirects follow it (one hop, always)."""
    if not old_slug or old_slug == new_slug:
        return
    SlugRedirect.objects.filter(kind=kind, new_slug=old_slug).update(new_slug=new_slug)
    SlugRedirect.objects.filter(kind=kind, old_slug=new_slug).delete()  # the slug is taken again
    SlugRedirect.objects.update_or_create(
        kind=kind, old_slug=old_slug, defaults={"new_slug": new_slug}
    )


# Redirects are kept one hop long, but one edited by hand or left pointing at something
# since deleted may lead to another old slug: a few are followed, never round a loop.
MAX_REDIRECT_HOPS = 5


def redirected_slug(kind, slug):
    """The slug of the tag, person or event now living at old ``slug``, or None."""
    model = {kind: model for model, kind in KINDS.items()}[kind]
    if model.objects.filter(slug=slug).exists():
        return None  # a slug in use is its owner's, whatever an old redirect says
    seen = {slug}
    for _ in range(MAX_REDIRECT_HOPS):
        target = (
            SlugRedirect.objects.filter(kind=kind, old_slug=slug)
            .values_list("new_slug", flat=True)
            .first()
        )
        if target is None or target in seen:
            return None
        if model.objects.filter(slug=target).exists():
            return target
        seen.add(target)
        slug = target
    return None


@transaction.atomic
def merge(survivor, others, user=None):
    """
    Merge ``others`` (tags, people or events of the survivor's kind) into ``survivor``:
    every tagging, quote and event link moves, none is duplicated, old addresses
    redirect, and a MergeRecord says who did what. Returns the record.
    """
    model = type(survivor)
    kind = KINDS[model]
    others = [other for other in others if other.pk != survivor.pk]
    moved = dropped = 0
    for other in others:
        # Moved below without signals: the stored parts that name the merged one go now.
        fragments.stale_naming(other)
        if model is Tag:
            rows = TaggedArticle.objects.filter(tag=other)
            duplicates = rows.filter(
                content_object__in=TaggedArticle.objects.filter(tag=survivor).values(
                    "content_object"
                )
            )
            dropped += duplicates.delete()[0]
            moved += rows.update(tag=survivor)
        elif model is Event:
            rows = ArticleEvent.objects.filter(event=other)
            duplicates = rows.filter(
                article__in=ArticleEvent.objects.filter(event=survivor).values("article")
            )
            dropped += duplicates.delete()[0]
            moved += rows.update(event=survivor)
            planning.move_coverage(other, survivor)  # planned coverage follows the event
        else:
            moved += Quote.objects.filter(speaker=other).update(speaker=survivor)
        take_description(survivor, other)
        record_slug_change(kind, other.slug, survivor.slug)
    record = MergeRecord.objects.create(
        kind=kind,
        survivor_name=survivor.name,
        survivor_slug=survivor.slug,
        merged=[{"name": other.name, "slug": other.slug} for other in others],
        moved=moved,
        dropped_duplicates=dropped,
        merged_by=user,
    )
    for other in others:
        other.delete()
    return record


def take_description(survivor, other):
    """A survivor without a description inherits the merged one's."""
    if isinstance(survivor, Tag):
        from articles.models import TagProfile

        theirs = TagProfile.objects.filter(tag=other).first()
        if theirs and theirs.description:
            mine, _ = TagProfile.objects.get_or_create(tag=survivor)
            if not mine.description:
                mine.description = theirs.description
                mine.save()
    elif not survivor.description and other.description:
        survivor.description = other.description
        survivor.save(update_fields=["description"])


def normalised(name):
    """A name reduced for comparison: no case, accents, punctuation or dash variants."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def similar_names(name, candidates, exclude=None):
    """Existing names close to ``name`` (“Kaja Kalas” → “Kaja Kallas”), closest first."""
    wanted = normalised(name)
    by_key = {}
    for candidate in candidates:
        if candidate != exclude:
            by_key.setdefault(normalised(candidate), candidate)
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=SIMILARITY)
    return [by_key[key] for key in close]


def similar_existing(queryset, name):
    """
    Names in ``queryset`` close to ``name``, closest first, from at most
    MAX_NAMES_COMPARED of them: its neighbours in alphabetical order and those sharing
    its first or last letters. Comparing with every name took seconds with ten thousand.
    """
    names = queryset.values_list("name", flat=True)
    side = limits.MAX_NAMES_COMPARED // 5
    candidates = [
        *names.filter(name__gte=name).order_by("name")[:side],
        *names.filter(name__lt=name).order_by("-name")[:side],
        *names.filter(name__istartswith=name[:3]).order_by("name")[:side],
        *names.filter(name__iendswith=name[-3:]).order_by("name")[:side],
        *names.filter(name__icontains=name.split()[-1] if name.split() else name)[:side],
    ]
    return similar_names(name, dict.fromkeys(candidates))


def close_to(key):
    """A test of whether a normalised name is a near-duplicate of ``key`` (cheap tests first)."""
    matcher = difflib.SequenceMatcher(None, "", key)  # what it learns of ``key`` is kept

    def test(other):
        matcher.set_seq1(other)
        return (
            matcher.real_quick_ratio() >= SIMILARITY
            and matcher.quick_ratio() >= SIMILARITY
            and matcher.ratio() >= SIMILARITY
        )

    return test


def likely_duplicates(names, limit=limits.MAX_DUPLICATE_GROUPS, window=limits.DUPLICATE_WINDOW):
    """
    Groups of names that are probably the same thing, at most ``limit`` of them.

    Each name is compared with its ``window`` neighbours on either side in alphabetical
    order, and in the order of their endings (so that “Caja Kallas” meets “Kaja Kallas”),
    so the work grows with the number of names. Comparing every pair sharing a beginning
    took minutes for ten thousand tags starting “Min”.
    """
    spellings = defaultdict(list)  # normalised -> the names written that way
    for name in names:
        spellings[normalised(name)].append(name)
    keys = sorted(spellings)
    by_ending = sorted(keys, key=lambda key: key[::-1])
    place = {key: index for index, key in enumerate(keys)}
    place_by_ending = {key: index for index, key in enumerate(by_ending)}
    groups, seen = [], set()
    for key in keys:
        if key in seen:
            continue
        # The names before it in alphabetical order have had their turn already.
        i, j = place[key], place_by_ending[key]
        nearby = [*keys[i + 1 : i + window + 1], *by_ending[max(0, j - window) : j + window + 1]]
        close = close_to(key)
        members = [key] + [
            other for other in dict.fromkeys(nearby) if other != key and other not in seen
        ]
        members = [key] + [other for other in members[1:] if close(other)]
        group = [name for member in members for name in spellings[member]]
        if len(group) > 1:
            groups.append(group)
            seen.update(members)
            if len(groups) >= limit:
                break
    return groups


def unused():
    """Tags, people and events nothing uses: candidates for deletion."""
    return {
        "tags": Tag.objects.annotate(n=Count("articles_taggedarticle_items")).filter(n=0),
        "people": Person.objects.annotate(n=Count("quotes")).filter(n=0),
        "events": Event.objects.annotate(n=Count("article_links")).filter(n=0),
    }
