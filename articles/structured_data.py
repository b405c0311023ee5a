"""schema.org JSON-LD for search engines: NewsArticle, Event and Person."""

from django.conf import settings
from django.utils import timezone


def absolute(path):
    """An absolute URL on the public site (storage URLs that already are stay as they are)."""
    return path if path.startswith(("https://", "http://")) else settings.SITE_URL + path


def publisher():
    return {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": settings.SITE_URL}


def event_date(event):
    """An ISO date as precise as the newsroom knows it (2025, 2025-05 or 2025-05-19)."""
    formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
    return event.starts_on.strftime(formats[event.date_precision])


EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
    "took_place": "https://schema.org/EventScheduled",
}


def event(event):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.name,
        "startDate": event_date(event),
        "eventStatus": EVENT_STATUS[event.status],
        "url": absolute(event.get_absolute_url()),
    }
    if event.ends_on and event.date_precision == "day":
        data["endDate"] = event.ends_on.isoformat()
    if event.location:
        data["location"] = {"@type": "Place", "name": event.location}
    if event.description:
        data["description"] = event.description
    if event.url:
        data["sameAs"] = event.url
    return data


def person(person):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    if person.role:
        data["jobTitle"] = person.role
    if person.organisation:
        data["affiliation"] = {"@type": "Organization", "name": person.organisation}
    return data


def news_article(article):
    """The article as schema.org NewsArticle; expects with_public_relations() prefetches."""
    authors = [
        {"@type": "Person", "name": author.get_full_name() or author.get_username()}
        for author in article.authors.all()
    ] or [{"@type": "Organization", "name": settings.SITE_NAME}]
    published = article.published_at or article.updated_at  # a preview may have no date yet
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": timezone.localtime(published).isoformat(),
        "dateModified": timezone.localtime(max(article.updated_at, published)).isoformat(),
        "author": authors,
        "publisher": publisher(),
        "keywords": [tag.name for tag in article.tags.all()],
        "about": [
            {
                "@type": "Event",
                "name": link.event.name,
                "url": absolute(link.event.get_absolute_url()),
            }
            for link in article.event_links.all()
        ],
    }
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if image := social_image(article):
        data["image"] = [image]
    return data


def social_image(article):
    """The absolute URL of the social card (1200 × 630, cut around the focal point)."""
    picture = article.lead_picture
    return absolute(picture["social"]) if picture else None
