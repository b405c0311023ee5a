"""schema.org ``LiveBlogPosting`` for a live article, with its updates as ``BlogPosting``s."""

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.structured_data import absolute, news_article


def iso(moment):
    return timezone.localtime(moment).isoformat()


def update_posting(update, article_url):
    """One update as schema.org BlogPosting: its time, headline, text and its own address."""
    text = strip_tags(update.body_html).strip()
    data = {
        "@type": "BlogPosting",
        "headline": update.headline or Truncator(text).chars(110),
        "articleBody": text,
        "datePublished": iso(update.published_at),
        "dateModified": iso(max(update.updated_at, update.published_at)),
        "url": f"{article_url}#{update.anchor}",
    }
    if update.author is not None:
        data["author"] = {
            "@type": "Person",
            "name": update.author.get_full_name() or update.author.get_username(),
        }
    return data


def live_blog_posting(article, live):
    """
    The article as a LiveBlogPosting (a NewsArticle's properties, and the coverage's
    start, end and updates, newest first). Expects with_public_relations() prefetches.
    """
    data = news_article(article)
    url = absolute(article.get_absolute_url())
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = iso(live.coverage.starts_at)
    if live.coverage.ends_at is not None:
        data["coverageEndTime"] = iso(live.coverage.ends_at)
    data["liveBlogUpdate"] = [update_posting(update, url) for update in live.updates]
    changed = [article.updated_at, *(max(u.updated_at, u.published_at) for u in live.updates)]
    if article.published_at is not None:
        changed.append(article.published_at)
    data["dateModified"] = iso(max(changed))
    return data
