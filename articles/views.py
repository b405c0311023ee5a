import datetime

from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from articles.models import Article, ArticleEvent, Event, Person, Quote, TaggedArticle


class PublishedArticlesMixin:
    """Lists of articles: published ones only, with what a list shows, paginated."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    paginate_by = 15

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming_events"] = Event.objects.upcoming()[:5]
        return context


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_public_relations()

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        try:
            date = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError as error:
            raise Http404("No such date.") from error
        return get_object_or_404(queryset, publication_date=date, slug=self.kwargs["slug"])


def articles_with_all_tags(queryset, slugs):
    """Narrow ``queryset`` to articles carrying every one of the tag ``slugs``."""
    for slug in slugs:
        queryset = queryset.filter(
            Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__slug=slug))
        )
    return queryset


class TagView(PublishedArticlesMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get(self, request, *args, **kwargs):
        slugs = list(dict.fromkeys(self.kwargs["slugs"]))
        self.tags = list(Tag.objects.filter(slug__in=slugs))
        if len(self.tags) != len(slugs):
            raise Http404("No such tag.")
        self.tags.sort(key=lambda tag: slugs.index(tag.slug))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return articles_with_all_tags(super().get_queryset(), [tag.slug for tag in self.tags])

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=self.tags, **kwargs)


class EventDetailView(DetailView):
    model = Event
    context_object_name = "event"

    def get_context_data(self, **kwargs):
        links = (
            ArticleEvent.objects.filter(event=self.object, article__in=Article.objects.published())
            .select_related("article")
            .order_by("kind", "-article__published_at")
        )
        return super().get_context_data(links=links, **kwargs)


class PersonDetailView(DetailView):
    model = Person
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        quotes = (
            Quote.objects.filter(speaker=self.object, article__in=Article.objects.published())
            .select_related("article")
            .order_by("-article__published_at", "position")
        )
        return super().get_context_data(quotes=quotes, **kwargs)


def busiest_tags(limit=12):
    published = Article.objects.published()
    return (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
        .annotate(article_count=Count("articles_taggedarticle_items"))
        .order_by("-article_count", "name")[:limit]
    )
