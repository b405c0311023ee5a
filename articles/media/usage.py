"""
Which article uses which picture, in one table (PictureUse): the lead image is recorded
whenever an article is saved; the pictures of the body by ``record_body_pictures``.
"""

from articles.media.models import Picture, PictureUse


def record_lead_picture(article):
    """Make the article's lead-image use match its ``lead_image`` (after each save)."""
    uses = PictureUse.objects.filter(article=article, kind=PictureUse.Kind.LEAD)
    uses.exclude(picture_id=article.lead_image_id).delete()
    if article.lead_image_id is not None:
        PictureUse.objects.get_or_create(
            article=article, picture_id=article.lead_image_id, kind=PictureUse.Kind.LEAD
        )


def record_body_pictures(article, picture_ids):
    """
    Record that the body of ``article`` (saved) places exactly the pictures
    ``picture_ids`` (ids of Pictures; repeats and unknown ids are ignored). Uses no
    longer in the body are removed. Returns the ids recorded.
    """
    wanted = set(
        Picture.objects.filter(pk__in={int(pk) for pk in picture_ids}).values_list("pk", flat=True)
    )
    uses = PictureUse.objects.filter(article=article, kind=PictureUse.Kind.BODY)
    uses.exclude(picture_id__in=wanted).delete()
    known = set(uses.values_list("picture_id", flat=True))
    PictureUse.objects.bulk_create(
        [PictureUse(article=article, picture_id=pk, kind=PictureUse.Kind.BODY)
         for pk in sorted(wanted - known)]
    )  # fmt: skip
    return wanted


def uses_of(pictures):
    """
    ``{picture id: [(article, kind label), ...]}`` for ``pictures``: what refuses their
    deletion, in one query.
    """
    found = {}
    uses = (
        PictureUse.objects.filter(picture__in=pictures)
        .select_related("article")
        .only("picture_id", "kind", "article__id", "article__title", "article__status")
        .order_by("article__title", "kind")
    )
    for use in uses:
        found.setdefault(use.picture_id, []).append((use.article, use.get_kind_display()))
    return found
