"""
The archive: every article with its quotes, people, tags, events, corrections, old
addresses, pictures and live coverage in one portable file, and back.

An archive is a zip file holding ``archive.json`` (the rows, versioned, every reference
written as a natural key: users by username, tags, people and events by slug, pictures
of the media library by their stored name) and ``media/<name>`` for each stored picture
file, the original, every rendition and every focal crop, byte for byte. Archives of
format 1 (before the library, each article with its own lead image) still restore: each
lead image becomes a picture of the library. Archives of format 2 (before live
coverage) restore as they were. Nothing in it depends on database ids, so it restores
into SQLite or PostgreSQL alike; a live update keeps its id, its public address
(``#update-<id>``), as ``articles.live.archive`` says.

Not included: revision history (django-reversion), login records and sessions, and
passwords (staff accounts come back without one; set it with ``changepassword``).

An archive is read as untrusted: ``archive.json`` and each picture are refused unread if
they would unpack past a size limit (a few hundred bytes of zip can inflate to gigabytes),
and every picture must decode with Pillow as an upload must, in the format its name says,
since the media folder is served from the site's own address. Before anything is
written, the pictures are counted together from the zip's directory: each may be
compressed at most 100:1, an article may list no more renditions than an export makes,
and all of them together may unpack to at most twice the archive's size on disk (or
what the operator allows), so a small archive cannot fill the disk.
"""

import datetime
import hashlib
import json
import os
import posixpath
import tempfile
import uuid
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from taggit.models import Tag

from articles.blocks.body import embed_urls, rerender
from articles.blocks.pictures import renumber
from articles.images import MAX_UPLOAD_BYTES, RENDITION_WIDTHS, open_picture
from articles.media.renditions import CROPS
from articles.models import (
    Article,
    ArticleAddress,
    ArticleEvent,
    Correction,
    Embed,
    Event,
    MergeRecord,
    Person,
    Picture,
    PictureUse,
    Quote,
    ShareLink,
    SlugRedirect,
    TaggedArticle,
    TagProfile,
)

FORMAT = "newsroom-archive"
# 3: live coverage, its updates, and the update each of their quotes was said in. An
# older Newsroom refuses it rather than restore a live article's quotes without updates.
# 4: articles' languages and the original each translation translates (by its place in
# the list of articles), quotes' original words, names and roles in other languages.
# Older archives restore in the site's first language, without translations.
VERSION = 4
READABLE_VERSIONS = (1, 2, 3, 4)
DATA_NAME = "archive.json"
MEDIA_PREFIX = "media/"
BATCH = 500
# archive.json is parsed whole, at about three times its size in memory: 512 MB holds a
# newsroom of several hundred thousand articles. Larger ones pass --max-data-mb.
MAX_DATA_BYTES = 512 * 1024 * 1024
# Stored pictures are re-encoded at most 2,400 pixels wide: far below an upload's limit.
MAX_PICTURE_BYTES = MAX_UPLOAD_BYTES
# Pictures are compressed already: deflate gains them a few per cent, and a member that
# unpacks to more than this many times its stored size is no picture but padding.
MAX_PICTURE_RATIO = 100
# An export stores pictures as they are (uncompressed in the zip), so their total never
# exceeds the archive's size on disk; twice that, by default, is all a restore may unpack.
MEDIA_ALLOWANCE = 2
# store_picture makes a WebP and a JPEG of each width, and an export writes no more.
MAX_RENDITIONS = len(RENDITION_WIDTHS) * 2
# make_crops cuts each crop in each of its formats.
MAX_CROP_FILES = sum(len(formats) for *_, formats in CROPS.values())
# A picture's format, by the extension its stored name ends with (nginx serves by name).
PICTURE_EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}

# Derived from other fields and rebuilt on import.
ARTICLE_DERIVED = {"search_document"}
# Not the newsroom's record, and secrets besides.
USER_EXCLUDED = {"password", "last_login"}


class ArchiveError(Exception):
    """The file is not a usable archive, or the database cannot take it."""


# Rows as plain JSON values, and back.


def plain_fields(model, exclude=()):
    """The fields of ``model`` stored as values: not the id, not a relation."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.is_relation and field.name not in exclude
    ]


def to_json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return value.name or ""
    return value


def row(obj, fields, **extra):
    return {field.name: to_json(field.value_from_object(obj)) for field in fields} | extra


def from_row(model, data, fields, **extra):
    """An unsaved ``model`` from an archived row, its values checked as a form would."""
    values = {}
    for field in fields:
        if field.name not in data:
            raise ArchiveError(f"{model._meta.verbose_name} has no “{field.name}”.")
        value = data[field.name]
        try:
            values[field.attname] = field.to_python(value) if value is not None else None
        except ValidationError as error:
            raise ArchiveError(
                f"{model._meta.verbose_name} has an invalid “{field.name}”: {value!r}."
            ) from error
    obj = model(**values, **extra)
    try:
        checked = {field.name for field in fields}
        obj.clean_fields(exclude=[f.name for f in model._meta.fields if f.name not in checked])
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(m)}" for name, m in error.message_dict.items())
        raise ArchiveError(
            f"{model._meta.verbose_name} “{obj}” is invalid ({problems})."
        ) from error
    return obj


def check_translation_source(article):
    """
    An article's record of its original as translated: none, or the words it held, as
    articles.translations.services.source_of writes them. Anything else would break the
    article's admin page, which compares it with the original.
    """
    from articles.translations.services import SOURCE_FIELDS

    source = article.translation_source
    if source is None:
        return
    if not isinstance(source, dict) or any(
        not isinstance(source.get(name, ""), str) for name in SOURCE_FIELDS
    ):
        raise ArchiveError(
            f"The article “{article}” has an invalid record of the original it translates."
        )


def safe_file_name(name):
    """A stored file's name, refused if it could point outside the media folder."""
    if (
        not isinstance(name, str)
        or not name
        or name.startswith("/")
        or "\\" in name
        or posixpath.normpath(name) != name
        or ".." in name.split("/")
    ):
        raise ArchiveError(f"The archive names a picture file unsafely: {name!r}.")
    return name


# Export


def collect():
    """Everything the archive holds, as JSON-ready data, and the picture files it names."""
    from articles.live.archive import export_live
    from articles.planning.archive import export_planning

    User = get_user_model()
    user_fields = plain_fields(User, USER_EXCLUDED)
    usernames = dict(User.objects.values_list("pk", User.USERNAME_FIELD))

    def username(pk):
        return usernames.get(pk)

    users = [
        row(user, user_fields, groups=sorted(group.name for group in user.groups.all()))
        for user in User.objects.prefetch_related("groups").order_by("pk")
    ]
    profiles = {profile.tag_id: profile for profile in TagProfile.objects.all()}
    profile_fields = plain_fields(TagProfile)
    tags = [
        row(
            tag,
            plain_fields(Tag),
            profile=row(profiles[tag.pk], profile_fields) if tag.pk in profiles else None,
        )
        for tag in Tag.objects.order_by("pk")
    ]
    people = [row(person, plain_fields(Person)) for person in Person.objects.order_by("pk")]
    events = [row(event, plain_fields(Event)) for event in Event.objects.order_by("pk")]
    pictures, files = [], []
    picture_names = {}
    for picture in Picture.objects.order_by("pk"):
        # Its id only so that the bodies placing it by number can be renumbered on restore.
        pictures.append(
            row(
                picture,
                plain_fields(Picture),
                uploaded_by=username(picture.uploaded_by_id),
                archived_id=picture.pk,
            )
        )
        picture_names[picture.pk] = picture.file.name
        files.extend(picture.files())
    uses = defaultdict(list)
    for article_id, picture_id, kind in PictureUse.objects.order_by("pk").values_list(
        "article_id", "picture_id", "kind"
    ):
        uses[article_id].append({"picture": picture_names[picture_id], "kind": kind})

    article_fields = plain_fields(Article, ARTICLE_DERIVED)
    quote_fields = plain_fields(Quote)
    link_fields = plain_fields(ArticleEvent)
    correction_fields = plain_fields(Correction)
    share_fields = plain_fields(ShareLink)
    address_fields = plain_fields(ArticleAddress)
    articles = []
    # Rows go out in the order they were made, and come back in it: the order of an
    # article's tags and authors is the order an editor added them, and pages show it.
    authors = defaultdict(list)
    for article_id, user_id in Article.authors.through.objects.order_by("pk").values_list(
        "article_id", "user_id"
    ):
        authors[article_id].append(user_id)

    def in_order(lookup, model, related=()):
        queryset = model.objects.order_by("pk")
        return Prefetch(lookup, queryset.select_related(*related) if related else queryset)

    queryset = (
        Article.objects.order_by("pk")
        .defer("search_document")
        .prefetch_related(
            in_order("tagged_items", TaggedArticle, ["tag"]),
            in_order("quotes", Quote, ["speaker"]),
            in_order("event_links", ArticleEvent, ["event"]),
            in_order("corrections", Correction),
            in_order("share_links", ShareLink),
            in_order("old_addresses", ArticleAddress),
        )
    )
    places, originals = {}, []
    for article in queryset.iterator(chunk_size=BATCH):
        places[article.pk] = len(articles)
        originals.append(article.translation_of_id)
        articles.append(
            row(
                article,
                article_fields,
                created_by=username(article.created_by_id),
                last_edited_by=username(article.last_edited_by_id),
                lead_image=picture_names.get(article.lead_image_id),
                picture_uses=uses.get(article.pk, []),
                authors=[username(pk) for pk in authors.get(article.pk, [])],
                tags=[item.tag.slug for item in article.tagged_items.all()],
                quotes=[
                    # ``update``: the live update it was said in (its id), or None.
                    row(quote, quote_fields, speaker=quote.speaker.slug, update=quote.update_id)
                    for quote in sorted(article.quotes.all(), key=lambda q: q.position)
                ],
                event_links=[
                    row(link, link_fields, event=link.event.slug)
                    for link in article.event_links.all()
                ],
                corrections=[row(c, correction_fields) for c in article.corrections.all()],
                share_links=[
                    row(link, share_fields, created_by=username(link.created_by_id))
                    for link in article.share_links.all()
                ],
                old_addresses=[row(a, address_fields) for a in article.old_addresses.all()],
            )
        )
    # A translation names its original by the original's place in the list.
    for data, original in zip(articles, originals, strict=True):
        data["translation_of"] = places.get(original)
    # Embeds with their thumbnails; which articles show each follows from their bodies.
    embeds = []
    for embed in Embed.objects.order_by("pk"):
        files.extend(embed.thumbnail_files())
        embeds.append(row(embed, plain_fields(Embed)))
    redirects = [
        row(redirect, plain_fields(SlugRedirect))
        for redirect in SlugRedirect.objects.order_by("pk")
    ]
    merges = [
        row(record, plain_fields(MergeRecord), merged_by=username(record.merged_by_id))
        for record in MergeRecord.objects.order_by("pk")
    ]
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "users": users,
        "tags": tags,
        "people": people,
        "events": events,
        "pictures": pictures,
        "articles": articles,
        "embeds": embeds,
        "redirects": redirects,
        "merges": merges,
        **export_planning(username),
        **export_live(username),
    }
    return data, files


def export_archive(path, storage=None):
    """
    Write the whole archive to ``path`` (a new zip file). Returns how many of each
    kind of row it holds.

    Read in one transaction, so the archive is one moment's state; written to a
    temporary file first, so ``path`` is either the complete archive or untouched.
    """
    storage = storage or default_storage
    path = Path(path)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        data, names = collect()
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        os.close(handle)
        try:
            digests = {}
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(set(names)):
                    if not storage.exists(name):
                        raise ArchiveError(f"The picture file {name} is missing from storage.")
                    with storage.open(name, "rb") as source:
                        content = source.read()
                    digests[name] = hashlib.sha256(content).hexdigest()
                    # Pictures are compressed already.
                    archive.writestr(MEDIA_PREFIX + name, content, zipfile.ZIP_STORED)
                data["files"] = digests
                archive.writestr(DATA_NAME, json.dumps(data, ensure_ascii=False, indent=1))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return counts(data)


def counts(data):
    articles = data["articles"]
    return {
        "articles": len(articles),
        "quotes": sum(len(a["quotes"]) for a in articles),
        "event links": sum(len(a["event_links"]) for a in articles),
        "corrections": sum(len(a["corrections"]) for a in articles),
        "people": len(data["people"]),
        "events": len(data["events"]),
        "tags": len(data["tags"]),
        "users": len(data["users"]),
        "pictures": len(data.get("pictures", [])),
        "embeds": len(data.get("embeds", [])),
        "picture files": len(data.get("files", {})),
        "live articles": len(data.get("live_coverage", [])),
        "live updates": len(data.get("live_updates", [])),
    }


# Import

# What reading a damaged or unsupported zip member raises (an encrypted one: RuntimeError).
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError)


def megabytes(size):
    return f"{size / 1024 / 1024:,.1f} MB"


def read_member(archive, member, limit, what):
    """
    The bytes of one member of the zip, refused before a byte is inflated if its declared
    size is over ``limit``, and never more than ``limit`` read whatever it declared.
    """
    info = archive.getinfo(member)  # KeyError when missing
    if info.file_size > limit:
        raise ArchiveError(
            f"{what} would unpack to {megabytes(info.file_size)}, over the limit of "
            f"{megabytes(limit)}: refused unread (a zip bomb, or not a Newsroom archive)."
        )
    with archive.open(info) as opened:
        content = opened.read(limit + 1)
    if len(content) > limit:
        raise ArchiveError(f"{what} unpacks to more than {megabytes(limit)}: refused.")
    return content


def read_archive(path, max_data_bytes=MAX_DATA_BYTES):
    """The archive's data and its open zip file; ArchiveError if it is not one we can read."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveError(f"There is no file at {path}.") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path} is not a Newsroom archive (not a zip file).") from error
    try:
        raw = read_member(archive, DATA_NAME, max_data_bytes, f"{DATA_NAME} in {path}")
    except KeyError as error:
        archive.close()
        raise ArchiveError(f"{path} is not a Newsroom archive (no {DATA_NAME}).") from error
    except ArchiveError:
        archive.close()
        raise
    except UNREADABLE as error:
        archive.close()
        raise ArchiveError(f"{path} is damaged: {DATA_NAME} cannot be read ({error}).") from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ArchiveError(f"{path} is damaged: {DATA_NAME} is not valid JSON.") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a Newsroom archive.")
    version = data.get("version")
    if version not in READABLE_VERSIONS:
        raise ArchiveError(
            f"{path} is in archive format {version!r}; this version of Newsroom reads "
            f"formats {' and '.join(map(str, READABLE_VERSIONS))}."
        )
    if version == 1:
        data = lead_images_into_library(data)
    if version < 4:
        data = in_one_language(data)
    return data, archive


def in_one_language(data):
    """
    An archive written before articles had languages in the shape of format 4: every
    article in the site's first language, no translations, no translated quotes or names.
    """
    from articles import languages

    def rows(key, container=data):
        found = container.get(key) if isinstance(container, dict) else None
        return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []

    for article in rows("articles"):
        article.setdefault("language", languages.default())
        article.setdefault("translation_source", None)
        article.setdefault("translation_of", None)
        for quote in rows("quotes", article):
            quote.setdefault("original_text", "")
            quote.setdefault("original_language", "")
    for item in [*rows("people"), *rows("events")]:
        item.setdefault("translations", {})
    for tag in rows("tags"):
        if isinstance(tag.get("profile"), dict):
            tag["profile"].setdefault("translations", {})
    return data


FORMAT_1_PICTURE_FIELDS = [
    "lead_image", "lead_image_width", "lead_image_height", "lead_image_renditions",
    "lead_image_alt", "lead_image_caption", "lead_image_credit",
]  # fmt: skip


def lead_images_into_library(data):
    """An archive of format 1 in the shape of format 2: each article's lead image (its
    fields on the article) becomes a picture of the library, used by the article."""
    pictures = {}
    for article in data.get("articles", []):
        if not isinstance(article, dict):
            raise ArchiveError("The archive's articles are malformed.")
        old = {name: article.pop(name, None) for name in FORMAT_1_PICTURE_FIELDS}
        name = old["lead_image"] or None
        article["lead_image"] = name
        article["picture_uses"] = [{"picture": name, "kind": "lead"}] if name else []
        if name and name not in pictures:
            pictures[name] = {
                "file": name,
                "width": old["lead_image_width"] or 0,
                "height": old["lead_image_height"] or 0,
                "renditions": old["lead_image_renditions"] or [],
                "crops": {},
                "alt": old["lead_image_alt"] or "",
                "caption": old["lead_image_caption"] or "",
                "credit": old["lead_image_credit"] or "",
                "source": "",
                "focal_x": 0.5,
                "focal_y": 0.5,
                "uploaded_at": article.get("created_at"),
                "uploaded_by": article.get("created_by"),
            }
    data["pictures"] = list(pictures.values())
    return data


CONTENT_MODELS = [Article, Picture, Embed, Person, Event, Tag, SlugRedirect, MergeRecord]


def existing_content():
    """What content the database already holds, e.g. ``["3 articles", "1 tag"]``."""
    found = []
    for model in CONTENT_MODELS:
        n = model._default_manager.count()
        if n:
            name = model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural
            found.append(f"{n} {name}")
    return found


def import_archive(
    path, replace=False, storage=None, max_data_bytes=MAX_DATA_BYTES, max_media_bytes=None
):
    """
    Restore the archive at ``path``. Returns how many of each kind of row it held.

    Refuses (ArchiveError) a database that already holds content, unless ``replace``,
    which deletes that content first. All or nothing: one transaction, and the picture
    files written are removed again if anything fails. ``archive.json`` may unpack to
    at most ``max_data_bytes``, and the pictures together to ``max_media_bytes`` (by
    default twice the archive's size on disk), checked before anything is written.
    """
    storage = storage or default_storage
    data, archive = read_archive(path, max_data_bytes)
    if max_media_bytes is None:
        max_media_bytes = MEDIA_ALLOWANCE * os.path.getsize(path)
    written = []
    try:
        with archive:
            check_media(data, archive, max_media_bytes)
            with transaction.atomic():
                present = existing_content()
                doomed = set()
                if present and not replace:
                    raise ArchiveError(
                        "The database already has content (" + ", ".join(present) + "). "
                        "Restore into an empty database, or use --replace to delete it first."
                    )
                if present:
                    doomed = delete_content()
                Restorer(data, archive, storage, written, doomed).restore()
    except ArchiveError:
        remove(written, storage)
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        remove(written, storage)
        raise ArchiveError(f"{path} is damaged or malformed: {error!r}.") from error
    except DatabaseError as error:
        remove(written, storage)
        raise ArchiveError(f"The archive's rows do not fit the database: {error}") from error
    except BaseException:
        remove(written, storage)
        raise
    return counts(data)


def check_media(data, archive, limit):
    """
    Refuse, unread and before anything is written, pictures that would unpack to more
    than the disk should take: counted from the zip's directory (zipfile stops reading
    a member at its declared size, and a member that holds more fails its checksum).
    Every name counts, even one whose bytes another name repeats: each is its own file.
    """
    names = set()
    for picture in data.get("pictures", []):
        names.update(picture_file_names(picture))
    owners = [(f"Embed {e.get('url')}", e, "thumbnail") for e in data.get("embeds", [])]
    for label, owner, field in owners:
        if not owner.get(field):
            continue  # restore_picture writes no file for it
        renditions = owner.get(f"{field}_renditions", [])
        if not isinstance(renditions, list):
            raise ArchiveError(f"{label} has malformed renditions.")
        if len(renditions) > MAX_RENDITIONS:
            raise ArchiveError(
                f"{label} lists {len(renditions)} picture renditions; "
                f"an export makes at most {MAX_RENDITIONS}: refused."
            )
        names.add(safe_file_name(owner[field]))
        names.update(safe_file_name(rendition["name"]) for rendition in renditions)
    total = 0
    for name in sorted(names):
        try:
            info = archive.getinfo(MEDIA_PREFIX + name)
        except KeyError as error:
            raise ArchiveError(f"The picture file {name} is missing from the archive.") from error
        what = f"The picture file {name} in the archive"
        if info.file_size > MAX_PICTURE_BYTES:
            raise ArchiveError(
                f"{what} would unpack to {megabytes(info.file_size)}, over the limit of "
                f"{megabytes(MAX_PICTURE_BYTES)}: refused unread (a zip bomb, or not a "
                "Newsroom archive)."
            )
        if info.file_size > MAX_PICTURE_RATIO * info.compress_size:
            raise ArchiveError(
                f"{what} would unpack to {megabytes(info.file_size)} from "
                f"{megabytes(info.compress_size)}, over {MAX_PICTURE_RATIO} times its size "
                "in the zip; a picture is compressed already: refused unread (a zip bomb)."
            )
        total += info.file_size
    if total > limit:
        raise ArchiveError(
            f"The archive's {len(names)} picture files would unpack to {megabytes(total)}, "
            f"over the limit of {megabytes(limit)}: refused unread. An export needs no more "
            f"than the archive's own size; --max-media-mb allows more."
        )


def picture_file_names(picture):
    """Every file an archived picture names, each checked; refused past what an export
    makes of one picture."""
    renditions, crops = picture.get("renditions", []), picture.get("crops") or {}
    if not isinstance(renditions, list) or not isinstance(crops, dict):
        raise ArchiveError(f"The picture {picture.get('file')!r} has malformed renditions.")
    crop_files = [r for crop in crops.values() for r in (crop if isinstance(crop, list) else [])]
    if len(renditions) > MAX_RENDITIONS or len(crop_files) > MAX_CROP_FILES:
        raise ArchiveError(
            f"The picture {picture.get('file')!r} lists {len(renditions)} renditions and "
            f"{len(crop_files)} crops; an export makes at most {MAX_RENDITIONS} and "
            f"{MAX_CROP_FILES}: refused."
        )
    return [
        safe_file_name(picture["file"]),
        *(safe_file_name(r["name"]) for r in [*renditions, *crop_files]),
    ]


def remove(names, storage):
    for name in names:
        if storage.exists(name):
            storage.delete(name)


def delete_content():
    """Delete every article, tag, person, event and record; returns their picture files."""
    doomed = set()
    for picture in Picture.objects.only("file", "renditions", "crops"):
        doomed.update(picture.files())
    for embed in Embed.objects.only("thumbnail", "thumbnail_renditions"):
        doomed.update(embed.thumbnail_files())
    # Articles before pictures: an article's use of a picture protects it.
    for model in [Article, Picture, Person, Event, Tag, SlugRedirect, MergeRecord, Embed]:
        model._default_manager.all().delete()
    return doomed


def create(model, objs):
    """
    Insert ``objs`` in batches, without signals, keeping their archived times: creation
    stamps the current time on ``auto_now`` fields, so those are written again after.
    """
    stamped = [f.attname for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]  # fmt: skip
    archived = [[getattr(obj, name) for name in stamped] for obj in objs]
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    if stamped and objs:
        for obj, values in zip(objs, archived, strict=True):
            for name, value in zip(stamped, values, strict=True):
                setattr(obj, name, value)
        model._default_manager.bulk_update(objs, stamped, batch_size=BATCH)
    return objs


class Restorer:
    """Writes one archive's rows and files into the database, in dependency order."""

    def __init__(self, data, archive, storage, written, doomed):
        self.data, self.archive, self.storage = data, archive, storage
        self.written = written  # files this import created, removed again on failure
        self.doomed = doomed  # files of replaced content, deleted once this commits
        self.file_digests = data.get("files") or {}
        self.file_names = {}

    def restore(self):
        self.restore_users()
        self.restore_vocabulary()
        self.restore_pictures()
        self.restore_articles()
        self.restore_embeds()
        self.relink_body_pictures()
        # The page shows the HTML made from the Markdown here, never HTML from the file:
        # an archive is read as untrusted, and a forged one could carry a script.
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rerender(Article.objects.filter(pk__in=ids[start : start + BATCH]))
        self.restore_records()
        from articles.planning.archive import restore_planning

        restore_planning(self)
        from articles.search import compact_search_index, update_search_documents

        update_search_documents(Article.objects.all())
        compact_search_index()
        # Rows were written in bulk, without signals: every cached page is now stale.
        from articles.fragments import everything_stale
        from articles.invalidation import everything_changed

        everything_stale()
        everything_changed()

    def restore_users(self):
        User = get_user_model()
        key = User.USERNAME_FIELD
        existing = {getattr(u, key): u for u in User.objects.all()}
        fields = plain_fields(User, USER_EXCLUDED)
        groups = {}
        for data in self.data["users"]:
            user = existing.get(data[key])
            if user is None:  # an existing account (and its password) is kept as it is
                user = from_row(User, data, fields)
                user.set_unusable_password()
                user.save()
                names = data.get("groups", [])
                for name in names:
                    if name not in groups:
                        groups[name], _ = Group.objects.get_or_create(name=name)
                user.groups.set([groups[name] for name in names])
            existing[data[key]] = user
        self.users = {name: user.pk for name, user in existing.items()}

    def user_id(self, name):
        if name is None:
            return None
        if name not in self.users:
            raise ArchiveError(f"The archive refers to a user “{name}” it does not list.")
        return self.users[name]

    def restore_vocabulary(self):
        tags, profiles = [], []
        for data in self.data["tags"]:
            tags.append(from_row(Tag, data, plain_fields(Tag)))
            profiles.append(data.get("profile"))
        create(Tag, tags)
        create(
            TagProfile,
            [
                from_row(TagProfile, profile, plain_fields(TagProfile), tag_id=tag.pk)
                for tag, profile in zip(tags, profiles, strict=True)
                if profile is not None
            ],
        )
        self.tags = {tag.slug: tag.pk for tag in tags}
        people = [from_row(Person, d, plain_fields(Person)) for d in self.data["people"]]
        self.people = {p.slug: p.pk for p in create(Person, people)}
        events = [from_row(Event, d, plain_fields(Event)) for d in self.data["events"]]
        self.events = {e.slug: e.pk for e in create(Event, events)}

    def restore_articles(self):
        fields = plain_fields(Article, ARTICLE_DERIVED)
        rows = self.data["articles"]
        articles = []
        for data in rows:
            article = from_row(
                Article,
                data,
                fields,
                created_by_id=self.user_id(data["created_by"]),
                last_edited_by_id=self.user_id(data["last_edited_by"]),
                lead_image_id=self.picture_id(data.get("lead_image")),
            )
            check_translation_source(article)
            articles.append(article)
        create(Article, articles)
        self.articles = articles  # in the archive's order, which the planning rows name
        self.link_translations(rows)
        from articles.live.archive import quote_update, restore_live

        self.live_updates = restore_live(self)  # before the quotes said in them

        authors, taggings, quotes, links, corrections, shares, addresses, uses = (
            [] for _ in range(8)
        )
        Authors = Article.authors.through
        for article, data in zip(articles, rows, strict=True):
            authors += [
                Authors(article_id=article.pk, user_id=self.user_id(name))
                for name in data["authors"]
            ]
            taggings += [
                TaggedArticle(content_object_id=article.pk, tag_id=self.lookup("tag", slug))
                for slug in data["tags"]
            ]
            quotes += [
                from_row(
                    Quote,
                    quote,
                    plain_fields(Quote),
                    article_id=article.pk,
                    speaker_id=self.lookup("person", quote["speaker"]),
                    update_id=quote_update(self, quote, article),
                )
                for quote in data["quotes"]
            ]
            links += [
                from_row(
                    ArticleEvent,
                    link,
                    plain_fields(ArticleEvent),
                    article_id=article.pk,
                    event_id=self.lookup("event", link["event"]),
                )
                for link in data["event_links"]
            ]
            corrections += [
                from_row(Correction, c, plain_fields(Correction), article_id=article.pk)
                for c in data["corrections"]
            ]
            shares += [
                from_row(
                    ShareLink,
                    link,
                    plain_fields(ShareLink),
                    article_id=article.pk,
                    created_by_id=self.user_id(link["created_by"]),
                )
                for link in data["share_links"]
            ]
            uses += [
                PictureUse(
                    article_id=article.pk,
                    picture_id=self.picture_id(use["picture"]),
                    kind=PictureUse.Kind(use["kind"]),
                )
                for use in data.get("picture_uses", [])
            ]
            # Archives written before articles kept their old addresses have none.
            addresses += [
                from_row(ArticleAddress, a, plain_fields(ArticleAddress), article_id=article.pk)
                for a in data.get("old_addresses", [])
            ]
        for model, objs in [(Authors, authors), (TaggedArticle, taggings), (Quote, quotes),
                            (ArticleEvent, links), (Correction, corrections)]:  # fmt: skip
            create(model, objs)
        create(ShareLink, shares)
        create(ArticleAddress, addresses)
        create(PictureUse, uses)

    def link_translations(self, rows):
        """Each translation to its original, named by its place in the archive's list."""
        translations = []
        for article, data in zip(self.articles, rows, strict=True):
            place = data.get("translation_of")
            if place is None:
                continue
            if not isinstance(place, int) or not 0 <= place < len(self.articles):
                raise ArchiveError(
                    f"The article “{article}” translates an article the archive does not "
                    f"hold: {place!r}."
                )
            original = self.articles[place]
            if original.pk == article.pk or rows[place].get("translation_of") is not None:
                raise ArchiveError(
                    f"The article “{article}” translates “{original}”, which is not an original."
                )
            article.translation_of_id = original.pk
            translations.append(article)
        Article.objects.bulk_update(translations, ["translation_of"], batch_size=BATCH)

    def restore_embeds(self):
        """The embeds (archives written before there were any have none), each linked to
        the articles whose body shows it, as a save would link them."""
        embeds = []
        for data in self.data.get("embeds", []):
            embed = from_row(Embed, data, plain_fields(Embed))
            self.restore_picture(embed, "thumbnail")
            embeds.append(embed)
        create(Embed, embeds)
        by_url = {embed.url: embed.pk for embed in embeds}
        Shows = Embed.articles.through
        links = {
            (by_url[url], article_id)
            for article_id, items in Article.objects.values_list("pk", "body_items")
            for url in embed_urls(items or [])
            if url in by_url
        }
        create(Shows, [Shows(embed_id=e, article_id=a) for e, a in sorted(links)])

    def lookup(self, kind, slug):
        known = {"tag": self.tags, "person": self.people, "event": self.events}[kind]
        if slug not in known:
            raise ArchiveError(f"The archive refers to a {kind} “{slug}” it does not list.")
        return known[slug]

    def restore_records(self):
        redirects = [
            from_row(SlugRedirect, d, plain_fields(SlugRedirect)) for d in self.data["redirects"]
        ]
        create(SlugRedirect, redirects)
        merges = [
            from_row(
                MergeRecord, d, plain_fields(MergeRecord), merged_by_id=self.user_id(d["merged_by"])
            )
            for d in self.data["merges"]
        ]
        create(MergeRecord, merges)

    # Picture files

    def restore_pictures(self):
        pictures = []
        for data in self.data.get("pictures", []):
            picture_file_names(data)  # every name checked before any file is written
            picture = from_row(
                Picture,
                data,
                plain_fields(Picture),
                uploaded_by_id=self.user_id(data.get("uploaded_by")),
            )
            picture.file.name = self.restore_file(picture.file.name)
            picture.renditions = [
                {**r, "name": self.restore_file(r["name"])} for r in picture.renditions
            ]
            picture.crops = {
                crop: [{**r, "name": self.restore_file(r["name"])} for r in files]
                for crop, files in picture.crops.items()
            }
            pictures.append(picture)
        archived = self.data.get("pictures", [])
        created = create(Picture, pictures)
        self.pictures = {
            data["file"]: picture.pk for data, picture in zip(archived, created, strict=True)
        }
        # Bodies name pictures by id: {the id in the exporting database: the id here}.
        self.picture_ids = {
            data["archived_id"]: picture.pk
            for data, picture in zip(archived, created, strict=True)
            if isinstance(data.get("archived_id"), int)
        }

    def relink_body_pictures(self):
        """
        The bodies' picture and gallery blocks name the pictures by their new ids (every
        body is rendered again afterwards; their uses came back with the articles). Archives
        written before pictures carried their id leave the bodies as they are.
        """
        if not self.picture_ids:
            return
        changed = []
        for article in Article.objects.filter(body__contains=":::").only("pk", "body"):
            body = renumber(article.body, self.picture_ids)
            if body != article.body:
                article.body = body
                changed.append(article)
        Article.objects.bulk_update(changed, ["body"], batch_size=BATCH)

    def picture_id(self, name):
        if name is None:
            return None
        if name not in self.pictures:
            raise ArchiveError(f"The archive refers to a picture “{name}” it does not list.")
        return self.pictures[name]

    def restore_picture(self, owner, field="thumbnail"):
        """The files of an embed's thumbnail, as the archive names them."""
        picture = getattr(owner, field)
        if not picture:
            return
        picture.name = self.restore_file(picture.name)
        renditions = getattr(owner, f"{field}_renditions")
        if not isinstance(renditions, list):
            raise ArchiveError(f"“{owner}” has malformed renditions.")
        setattr(
            owner,
            f"{field}_renditions",
            [
                {**rendition, "name": self.restore_file(rendition["name"])}
                for rendition in renditions
            ],
        )

    def restore_file(self, name):
        """Store one archived file; returns its name in storage (the same unless taken)."""
        if name in self.file_names:
            return self.file_names[name]
        safe_file_name(name)
        digest = self.file_digests.get(name)
        what = f"The picture file {name} in the archive"
        try:
            content = read_member(self.archive, MEDIA_PREFIX + name, MAX_PICTURE_BYTES, what)
        except KeyError as error:
            raise ArchiveError(f"The picture file {name} is missing from the archive.") from error
        except UNREADABLE as error:
            raise ArchiveError(f"The picture file {name} in the archive is damaged.") from error
        if digest != hashlib.sha256(content).hexdigest():
            raise ArchiveError(f"The picture file {name} in the archive is damaged.")
        check_picture(name, content)
        try:
            if self.already_stored(name, content):
                stored = name
            else:
                stored = self.storage.save(name, ContentFile(content))
                self.written.append(stored)
        except SuspiciousFileOperation as error:
            raise ArchiveError(f"The archive names a picture file unsafely: {name!r}.") from error
        self.file_names[name] = stored
        return stored

    def already_stored(self, name, content):
        """Whether this very file is in storage already, and stays there."""
        if name in self.doomed or not self.storage.exists(name):
            return False
        with self.storage.open(name, "rb") as existing:
            return existing.read() == content


def check_picture(name, content):
    """
    Refuse a file that is not a picture as an upload would be, or whose name claims
    another format: the media folder is served from the site's own address, by name,
    so an HTML or SVG file stored there would run as the site's own page.
    """
    expected = PICTURE_EXTENSIONS.get(posixpath.splitext(name)[1].lower().lstrip("."))
    if expected is None:
        raise ArchiveError(
            f"The picture file {name} in the archive is not named as a JPEG, PNG, WebP or "
            "GIF picture: refused."
        )
    try:
        image = open_picture(ContentFile(content))
    except ValidationError as error:
        raise ArchiveError(
            f"The picture file {name} in the archive is refused: {' '.join(error.messages)}"
        ) from error
    found = image.format
    image.close()
    if found != expected:
        raise ArchiveError(
            f"The picture file {name} in the archive is a {found} picture named as "
            f"{expected}: refused."
        )
