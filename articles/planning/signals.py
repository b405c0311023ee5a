"""The planning desk follows events and articles as they are saved (see ``services``)."""

from django.db.models.signals import post_save, pre_save

from articles.models import Article, Event
from articles.planning import services


def remember_calendar_fields(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._calendar_before = None
        return
    instance._calendar_before = (
        sender.objects.filter(pk=instance.pk).values(*services.CALENDAR_FIELDS).first()
    )


def event_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_calendar_before", None)
    if not created and before is None:
        return  # saved without our pre_save (never here in practice): nothing to compare
    services.event_changed(instance, before)


def article_saved(sender, instance, created=False, **kwargs):
    if not created:  # a new article cannot have been started from coverage yet
        services.coverage_article_saved(instance)


pre_save.connect(remember_calendar_fields, sender=Event, dispatch_uid="planning-event-before")
post_save.connect(event_saved, sender=Event, dispatch_uid="planning-event")
post_save.connect(article_saved, sender=Article, dispatch_uid="planning-article")
