from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, pre_save
from django.dispatch import receiver

from articles.models import Article


@receiver(pre_save, sender=Article)
def bump_edit_version(sender, instance, raw, **kwargs):
    """
    Every write of an article, restoring a revision included, raises its edit version.

    A signal rather than save(): restoring a revision writes the row without calling
    save(), and a restore must still make older open forms stale.
    """
    if instance.pk is None:
        instance.edit_version = 1
        return
    current = Article.objects.filter(pk=instance.pk).values_list("edit_version", flat=True).first()
    instance.edit_version = (current or 0) + 1


@receiver(post_migrate)
def create_roles(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "articles":
        from articles.roles import ensure_roles

        ensure_roles()


@receiver(post_delete, sender=Article)
def delete_lead_image_files(sender, instance, **kwargs):
    """A deleted article takes its pictures with it, once the deletion is committed."""
    from articles.images import delete_pictures

    files = instance.lead_image_files()
    if files:
        transaction.on_commit(lambda: delete_pictures(files))
