import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import (
    addresses,
    alternates,
    fragments,
    languages,
    listings,
    structured_data,
    vocabulary,
)
from articles.cache import CachedCountPaginator, CappedCountPaginator, remembered
from articles.filters import MAX_TAGS, ArticleFilter, BadFilter
from articles.invalidation import key_for, show
from articles.models import (
    SHARE_SALT,
    Article,
    ArticleAddress,
    ArticleEvent,
    Correction,
    Event,
    Person,
    ShareLink,
)
from articles.querysets import public_tags, published_q
from articles.search import (
    MAX_CANDIDATES,
    MAX_QUERY_LENGTH,
    excerpt,
    highlight,
    highlighter,
    ranked_ids,
    search_terms,
)
from articles.sitemaps import news_articles


def follow_renames(model, kind):
    """
    For a view taking a ``slug``: an address whose tag, person or event was renamed or
    merged away answers 301 to the current one, query string kept.

    Asked only when the view finds nothing (a 404): the pages that exist cost no query
    for it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404 as not_found:
                slug = kwargs["slug"]
                if model.objects.filter(slug=slug).exists() or not (
                    new_slug := vocabulary.redirected_slug(kind, slug)
                ):
                    raise
                match = request.resolver_match
                try:
                    url = reverse(match.view_name, kwargs={**match.kwargs, "slug": new_slug})
                except NoReverseMatch:  # a slug no address can hold: the view's 404 stands
                    raise not_found from None
                query = request.META.get("QUERY_STRING")
                return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

        return wrapped

    return decorator


def all_public(tags):
    return public_tags().filter(pk__in=[tag.pk for tag in tags]).count() == len(tags)


# The headings of an event's page, one for each way an article relates to the event.
COVERAGE_HEADINGS = {
    ArticleEvent.Kind.REPORTS_ON: pgettext_lazy("event page heading", "Reports on the event"),
    ArticleEvent.Kind.PREVIEWS: pgettext_lazy("event page heading", "Previews the event"),
    ArticleEvent.Kind.MENTIONS: pgettext_lazy("event page heading", "Mentions the event"),
    ArticleEvent.Kind.FOLLOWS_UP: pgettext_lazy("event page heading", "Follows up the event"),
}


def too_many_tags():
    return gettext("Choose at most %(count)d tags at a time.") % {"count": MAX_TAGS}


def bad_request(request, message):
    """A readable 400 page in the site's layout, for a value a reader mistyped."""
    context = {"message": message, "alternates": alternates.of_error_page()}
    return render(request, "400.html", context, status=400)


def tags_with_counts(articles=None):
    """Tags used on published articles (or on ``articles``), each with ``article_count``."""
    articles = Article.objects.published() if articles is None else articles
    return Tag.objects.annotate(
        article_count=Count(
            "articles_taggedarticle_items",
            filter=Q(articles_taggedarticle_items__content_object__in=articles),
        )
    ).filter(article_count__gt=0)


class KnownCountMixin:
    """
    A list view whose paginator takes ``counted``, when set, instead of counting; a
    count that reached ``counted_up_to`` is shown as a lower bound (“500+”).
    """

    counted = None
    counted_up_to = None

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        if self.counted is not None:
            paginator.count = self.counted
            if self.counted_up_to is not None:
                paginator.count_is_limited = self.counted >= self.counted_up_to
        return paginator


class PublishedArticlesMixin(KnownCountMixin):
    """
    Lists of published articles: a selection (``selection()``) read by
    ``articles.listings``, its count from its newest ids, a page of stored cards.
    """

    paginate_by = 20
    paginator_class = CappedCountPaginator

    def selection(self):
        return listings.Selection()

    listing = None

    def make_listing(self):
        return listings.Listing(self.selection(), self.paginator_class.COUNT_LIMIT)

    def get_queryset(self):
        if self.listing is None:
            self.listing = self.make_listing()
        self.counted = len(self.listing)
        return self.listing


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    paginate_by = 15

    def get_context_data(self, **kwargs):
        upcoming_events, topics, busiest_tags = listings.with_translations(
            listings.upcoming_events(limit=6),
            listings.topics(limit=12),
            # “Most covered lately”: the tags on most of the latest stories.
            listings.related_tags(self.listing.sample, limit=15),
        )
        return super().get_context_data(
            upcoming_events=upcoming_events, topics=topics, busiest_tags=busiest_tags, **kwargs
        )


class ArticleListView(PublishedArticlesMixin, ListView):
    """/articles/: every filter combined; unknown names 404, malformed values 400."""

    template_name = "articles/article_list.html"

    def get(self, request, *args, **kwargs):
        try:
            self.filter = ArticleFilter(request.GET)
        except BadFilter as error:
            return bad_request(request, str(error))
        return super().get(request, *args, **kwargs)

    def selection(self):
        return self.filter.selection()

    def get_context_data(self, **kwargs):
        facets = {}
        if self.filter.is_active:
            # Ways to narrow the results further, counted over the filtered articles.
            sample, chosen = self.listing.sample, self.filter
            facet_tags, facet_events = listings.with_translations(
                listings.related_tags(sample, exclude=[tag.pk for tag in chosen.tags], limit=10),
                listings.related_events(sample, exclude=chosen.event and chosen.event.pk, limit=5),
            )
            facets.update(
                facet_tags=facet_tags,
                facet_events=facet_events,
                facet_people=listings.related_people(
                    sample, exclude=chosen.person and chosen.person.pk, limit=5
                ),
            )
        return super().get_context_data(
            filter=self.filter,
            query_string=self.filter.query_string(),
            alternates=self.alternates(),
            **facets,
            **kwargs,
        )

    def alternates(self):
        """Filtered by tags, an event or a person, the list exists where they all do."""
        chosen = [*self.filter.tags, *filter(None, [self.filter.event, self.filter.person])]
        if not chosen:
            return alternates.of_path(self.request)
        return alternates.of_subject(self.request, chosen)


class ArticleDetailView(DetailView):
    """
    An article: its stored parts (see ``articles.fragments``), and “More on this”, the
    one part that changes when other articles do.
    """

    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Asked only when no public article lives here: a page that exists costs no query.
            moved = self.moved_article()
            if moved is None:
                raise
            url = moved.get_absolute_url()
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    def get_object(self, queryset=None):
        date = self.requested_date()
        article = date and listings.public_article(date, self.kwargs["slug"])
        if article is None:
            raise Http404("No such article.")
        return article

    def requested_date(self):
        try:
            return datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except (ValueError, OverflowError):
            return None

    def moved_article(self):
        """The public article that left this address (see ArticleAddress), or None."""
        date = self.requested_date()
        if date is None:
            return None
        address = (
            ArticleAddress.objects.leading_to_public()
            .filter(publication_date=date, slug=self.kwargs["slug"])
            .filter(article__language=languages.current())
            .select_related("article")
            .only(
                "article__slug",
                "article__published_at",
                "article__publication_date",
                "article__language",
            )
            .first()
        )
        return address and address.article

    def get_context_data(self, **kwargs):
        parts = fragments.article_page(self.object)
        show(self.request, *parts.keys)
        more_on_this = self.object.related_articles(
            tag_ids=parts.tag_ids, event_ids=parts.event_ids
        )
        return super().get_context_data(
            parts=parts,
            more_on_this=more_on_this,
            alternates=alternates.of_article(self.object),
            **kwargs,
        )


def render_article(request, article, preview):
    """
    An unpublished article exactly as readers will see it, with a ``preview`` banner:
    rendered afresh, never stored. Never indexed, never stored by a shared cache.
    """
    context = {
        "article": article,
        "parts": fragments.preview_page(article),
        "more_on_this": article.related_articles(),
        "preview": preview,
        "alternates": None,  # not public: no other language links to it yet
    }
    response = render(request, "articles/article_detail.html", context)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def shared_preview(request, token):
    """A share link: a signed token naming a ShareLink; deleting the link revokes it."""
    try:
        key = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature as error:
        raise Http404("No such link.") from error
    link = get_object_or_404(ShareLink.objects.select_related("article"), key=key)
    if link.is_expired:
        response = render(
            request,
            "articles/share_expired.html",
            {"link": link},
            status=410,
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    article = (
        Article.objects.with_public_relations()
        .prefetch_related("corrections")
        .get(pk=link.article_id)
    )
    expires = date_format(timezone.localtime(link.expires_at), "j F Y, H:i")
    preview = gettext("Shared preview · link expires %(moment)s") % {"moment": expires}
    return render_article(request, article, preview=preview)


class TagIndexView(ListView):
    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        tags = tags_with_counts().order_by(Lower("name"))
        if languages.current() != languages.default():
            tags = tags.select_related("profile")  # their names in the reader's language
        return remembered(tags)


class TagView(PublishedArticlesMixin, ListView):
    """One tag, or several joined by + (articles carrying all of them)."""

    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        slugs = list(dict.fromkeys(self.kwargs["slugs"]))
        if len(slugs) > MAX_TAGS:
            return bad_request(request, too_many_tags())
        # Tags found by slug alone: that they are public (on a public article) is shown by
        # the articles listed, and asked apart only when the list is empty.
        found = {tag.slug: tag for tag in listings.tags_by_slug(slugs)}
        if len(found) == len(slugs):
            self.tags = [found[slug] for slug in slugs]
            self.listing = self.make_listing()
            if not self.listing.sample and not all_public(self.tags):
                raise Http404("No such tag.")
            return super().get(request, *args, **kwargs)
        public = set(public_tags().filter(slug__in=slugs).values_list("slug", flat=True))
        current = [s if s in public else vocabulary.redirected_slug("tag", s) for s in slugs]
        if not all(current):
            raise Http404("No such tag.")
        try:
            url = reverse("articles:tag", args=["+".join(current)])
        except NoReverseMatch as error:  # a slug no address can hold
            raise Http404("No such tag.") from error
        return HttpResponsePermanentRedirect(url)

    def selection(self):
        show(self.request, *map(key_for, self.tags))
        return listings.Selection(tag_ids=tuple(tag.pk for tag in self.tags))

    def get_context_data(self, **kwargs):
        sample = self.listing.sample
        related_tags, related_events = listings.with_translations(
            listings.related_tags(sample, exclude=[tag.pk for tag in self.tags]),
            listings.related_events(sample),
        )
        return super().get_context_data(
            tags=self.tags,
            alternates=alternates.of_subject(self.request, self.tags),
            related_tags=related_tags,
            related_events=related_events,
            feed_url=addresses.tag_feed_url(self.tags[0].slug) if len(self.tags) == 1 else None,
            calendar_url=addresses.tag_calendar_url(self.tags[0].slug),
            # Read with the tag (listings.tags_by_slug()), or None: asking the template for
            # a profile that is not there raised an exception for it to swallow (40 µs).
            profile=self.tags[0]._state.fields_cache.get("profile")
            if len(self.tags) == 1
            else None,
            **kwargs,
        )


class EventIndexView(TemplateView):
    template_name = "articles/event_list.html"
    past_limit = 100

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming=Event.objects.public().upcoming(),
            past=Event.objects.public().past()[: self.past_limit],
            **kwargs,
        )


EVENT_FIELDS = tuple(field.name for field in Event._meta.concrete_fields)


class EventDetailView(DetailView):
    model = Event
    context_object_name = "event"

    def get_object(self, queryset=None):
        """
        The event, if public: covered by at least one public article (the rule of
        ``Event.objects.public()``), which the links it lists show without asking again.
        """
        event = listings.by_slug(Event, EVENT_FIELDS, self.kwargs["slug"])
        if event is None:
            raise Http404("No such event.")
        self.links = listings.event_coverage(event.pk)
        if not self.links:
            raise Http404("No such event.")
        return event

    def get_context_data(self, **kwargs):
        show(self.request, key_for(self.object))
        by_kind = {kind: [] for kind in ArticleEvent.Kind}
        for kind, _live, article in self.links:
            by_kind[kind].append(article)
        live_now = [article for _kind, live, article in self.links if live]
        groups = [(COVERAGE_HEADINGS[kind], items) for kind, items in by_kind.items() if items]
        return super().get_context_data(
            groups=groups,
            live_now=live_now,
            alternates=alternates.of_subject(self.request, [self.object]),
            jsonld=structured_data.event(self.object),
            **kwargs,
        )


# What a speaker's page shows of the person.
PERSON_FIELDS = ("id", "name", "slug", "role", "organisation", "description")


class PersonDetailView(KnownCountMixin, ListView):
    """A speaker: their quotes, newest first, each with its article and the role at the time."""

    template_name = "articles/person_detail.html"
    context_object_name = "quotes"
    paginate_by = 20
    paginator_class = CappedCountPaginator

    def get(self, request, *args, **kwargs):
        self.person = listings.by_slug(Person, PERSON_FIELDS, self.kwargs["slug"])
        if self.person is None:
            raise Http404("No such person.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.quotes = listings.SpeakerQuotes(self.person.pk, self.paginator_class.COUNT_LIMIT)
        if not self.quotes.counted:
            # Quoted in no public article: not shown to readers (Person.objects.public()).
            raise Http404("No such person.")
        self.counted = self.quotes.counted
        show(self.request, key_for(self.person))
        return self.quotes

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            alternates=alternates.of_subject(self.request, [self.person]),
            articles=self.quotes.articles(20),
            jsonld=structured_data.person(self.person),
            **kwargs,
        )


class SearchView(KnownCountMixin, ListView):
    """
    The ranked ids of what a query finds are the list paginated (one query, no count);
    then the page's twenty articles are fetched by id.
    """

    template_name = "articles/search.html"
    paginate_by = 20
    paginator_class = Paginator
    counted_up_to = MAX_CANDIDATES

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").strip()
        if len(self.query) > MAX_QUERY_LENGTH:
            message = gettext("Search for at most %(count)d characters at a time.")
            return bad_request(request, message % {"count": MAX_QUERY_LENGTH})
        self.terms = search_terms(self.query)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Counted as found: the newest MAX_CANDIDATES matches at most (“500+ results”).
        ids = ranked_ids(self.query)
        self.counted = len(ids)
        return ids

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = context["object_list"]
        found = {
            pk: (article, f"{standfirst} {body_html}")
            for pk, article, standfirst, body_html in listings.found_articles(ids)
        }
        pattern = highlighter(self.terms)
        context["results"] = [
            {
                "article": article,
                "title": highlight(article.title, self.terms, pattern),
                "excerpt": excerpt(text, self.terms, pattern=pattern),
            }
            for article, text in (found[pk] for pk in ids if pk in found)
        ]
        context.update(
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            found=self.found(context["paginator"]),
        )
        return context

    def found(self, paginator):
        """
        “500+ results for “budget””: written here rather than with ``blocktranslate``,
        which took thirty times as long to say it.
        """
        if getattr(paginator, "count_is_limited", False):
            line = ngettext(
                "%(counter)s+ result for “%(query)s”",
                "%(counter)s+ results for “%(query)s”",
                paginator.count,
            )
        else:
            line = ngettext(
                "%(counter)s result for “%(query)s”",
                "%(counter)s results for “%(query)s”",
                paginator.count,
            )
        return SafeString(
            line % {"counter": localize(paginator.count), "query": escape(self.query)}
        )


class CorrectionListView(ListView):
    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 50
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        return (
            Correction.objects.filter(published_q("article__"))
            .select_related("article")
            .only(
                "text",
                "published_at",
                "article__title",
                "article__slug",
                "article__publication_date",
                "article__published_at",
                "article__language",
            )
        )


def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemaps": [f"{settings.SITE_URL}/sitemap.xml", f"{settings.SITE_URL}/sitemap-news.xml"]},
        content_type="text/plain; charset=utf-8",
    )


def news_sitemap(request):
    return render(
        request,
        "sitemap_news.xml",
        {"articles": news_articles()},
        content_type="application/xml; charset=utf-8",
    )
