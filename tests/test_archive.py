"""Backups: export_archive writes everything into one file, import_archive restores it exactly."""

import datetime
import hashlib
import io
import json
import random
import re
import shutil
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from articles import archive, vocabulary
from articles.live import services as live
from articles.live.models import LiveUpdate
from articles.models import (
    Article,
    Event,
    MergeRecord,
    Person,
    Picture,
    ShareLink,
    SlugRedirect,
    TagProfile,
)
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
    make_staff,
    make_user,
)
from tests.images import decompression_bomb, picture_bytes, png_bytes

# Models whose ids the archive keeps: an update's id is its address (#update-<id>).
KEPT_IDS = {LiveUpdate}
# Not part of the archive: history, logins and Django's own bookkeeping.
NOT_ARCHIVED_APPS = {"admin", "sessions", "contenttypes", "reversion", "axes"}
USER_NOT_ARCHIVED = {"password", "last_login"}


def natural_key(model, pk):
    """How a row is recognised across databases, whatever its id."""
    if pk is None:
        return None
    obj = model._default_manager.get(pk=pk)
    if model is Article:
        return (obj.slug, str(obj.publication_date), obj.created_at.isoformat())
    if model is get_user_model():
        return obj.get_username()
    if model is Group:
        return obj.name
    if model is Picture:
        return obj.file.name
    if model in KEPT_IDS:
        return obj.pk
    if hasattr(obj, "slug"):
        return obj.slug
    if hasattr(obj, "codename"):
        return (obj.content_type.app_label, obj.codename)
    raise AssertionError(f"No natural key for {model}")


def canonical_rows(model):
    """Every row of ``model`` in the order made, every field, relations by natural key;
    the id only where the archive keeps it (a live coverage's id is its article)."""
    rows = []
    for obj in model._default_manager.order_by("pk"):
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and not field.is_relation and model not in KEPT_IDS:
                continue
            if model is get_user_model() and field.name in USER_NOT_ARCHIVED:
                continue
            value = field.value_from_object(obj)
            if field.is_relation:
                value = natural_key(field.related_model, value)
            elif hasattr(value, "storage"):
                value = value.name
            values[field.name] = str(value) if value is not None else None
        rows.append(values)
    return rows


def archived_models():
    """
    Every model (authors and groups of users included), but history, bookkeeping and
    pages rendered from the rest (rendered again after a restore).
    """
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in NOT_ARCHIVED_APPS
        and model._meta.label
        not in {"auth.Permission", "auth.Group_permissions", "articles.ArticleRendering"}
    ]


def canonical_dump():
    """The whole database as the archive should carry it, with every picture's bytes."""
    dump = {model._meta.label: canonical_rows(model) for model in archived_models()}
    files = {}
    for picture in Picture.objects.all():
        for name in picture.files():
            with default_storage.open(name, "rb") as picture:
                files[name] = picture.read()
    return dump, files


def empty_the_database(media_root):
    for model in [
        Article,
        Picture,
        Person,
        Event,
        Tag,
        SlugRedirect,
        MergeRecord,
        get_user_model(),
    ]:
        model._default_manager.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)


@pytest.fixture
def newsroom(demo_article):
    """The demo article with its lead picture, and one of everything else the newsroom keeps.
    The limits below are measured on that one picture, so the demo body's library pictures
    are taken out (archives of body pictures: tests/test_body_pictures.py)."""
    demo_article.body = "\n\n".join(
        part for part in demo_article.body.split("\n\n")
        if not part.startswith(("::: picture", "::: gallery"))
    )  # fmt: skip
    demo_article.save()
    Picture.objects.exclude(pk=demo_article.lead_image_id).delete()
    writers = Group.objects.get(name="Writers")
    writer = make_user("writer.one", first_name="Ann", last_name="Writer", email="a@example.org")
    writer.groups.add(writers)
    editor = make_user("editor.one", is_staff=True)
    demo_article.authors.add(writer, editor)

    speaker = make_person(name="Anna Speaker", description="A spokeswoman.")
    summit = make_event(name="Summit in Zürich", ends_on=datetime.date(2025, 5, 21))
    draft = make_article(
        title="A draft “with” <b>markup</b>",
        slug="shared-slug",
        status=Article.Status.DRAFT,
        published_at=None,
        tags=["Zürich", "Defence"],
        created_by=writer,
        last_edited_by=editor,
        dateline="Brussels",
    )
    draft.authors.add(writer)
    make_article(slug="shared-slug", status=Article.Status.DRAFT, published_at=None)
    renamed = make_article(slug="shared-slug", tags=["Defence"])  # published, same slug
    renamed.slug = "shared-slug-renamed"
    renamed.save()  # its old address is kept
    make_quote(draft, speaker=speaker, text="First.", position=1)
    make_quote(draft, speaker=speaker, text="Second.", role="", position=2)
    link_event(draft, summit, kind="previews")
    make_correction(demo_article, text="A name was misspelt.")
    ShareLink.objects.create(article=draft, note="legal", created_by=editor)
    TagProfile.objects.create(
        tag=Tag.objects.get(name="Zürich"), description="**D**", is_topic=True
    )
    duplicate = make_person(name="Anna Speeker")
    vocabulary.merge(speaker, [speaker, duplicate], editor)
    # Planned coverage (the demo's four, and one started as the draft), an event found in copy.
    from articles.planning.models import Coverage, EventPlanning

    Coverage.objects.create(
        event=summit, assignee=writer, status="in_progress", brief="B", article=draft
    )
    EventPlanning.objects.filter(event=summit).update(found_in=draft, found_at=draft.created_at)
    live_article(summit, speaker)
    return demo_article


def live_article(summit, speaker):
    """The summit covered live, closed: four updates (one corrected, one by a departed
    author), a pinned key event, quotes said in two updates and one in the body."""
    from articles.roles import EDITORS

    editor = make_staff("desk.editor", EDITORS)
    article = make_article(title="Summit live", slug="summit-live", tags=["Defence"])
    article.authors.add(editor)
    link_event(article, summit, kind="reports_on")
    make_quote(article, speaker=speaker, text="Said before the summit.", position=1)
    live.make_live(article, starts_at=timezone.now() - datetime.timedelta(hours=3))
    arrivals = live.post_update(
        article, editor, "Leaders **arrive** in Zurich.", headline="Arrivals"
    )
    live.edit_update(
        arrivals, editor, 1, "Leaders **arrive** in Zürich.", correction="The city was misspelt."
    )
    live.post_update(
        article,
        editor,
        "The joint statement is out.",
        quotes=[(speaker, "Spokeswoman", "We agreed on all points.")],
        headline="Statement",
        is_key_event=True,
        is_pinned=True,
    )
    later = live.post_update(article, editor, "Questions from the press.", quotes=[
        (speaker, "", "No comment on the rest."), (speaker, "Chair", "Thank you all."),
    ])  # fmt: skip
    LiveUpdate.objects.filter(pk=later.pk).update(author=None)  # its author left
    live.post_update(article, editor, "Leaders leave.", is_key_event=True)
    live.close(article, summary="The summit *agreed* a statement.")
    return article


def without(row, fields):
    return {name: value for name, value in row.items() if name not in fields}


def export_then_restore(tmp_path, media_root):
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    empty_the_database(media_root)
    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_round_trip_restores_every_row_and_every_picture_byte(newsroom, tmp_path, media_root):
    """Export, empty the database and the media folder, import: the same newsroom."""
    before, pictures_before = canonical_dump()
    # The demo picture: its original, six renditions and five focal crops.
    assert len(pictures_before) == 12
    assert before["articles.Article"] and before["articles.MergeRecord"]
    assert before["articles.ArticleAddress"]
    assert len(before["articles.Coverage"]) == 5 and before["articles.EventPlanning"]
    assert len(before["articles.LiveCoverage"]) == 1 and len(before["articles.LiveUpdate"]) == 4
    assert sum(q["update"] is not None for q in before["articles.Quote"]) == 3

    output = export_then_restore(tmp_path, media_root)

    assert "5 articles" in output and "12 picture files" in output
    assert "1 live articles, 4 live updates" in output
    after, pictures_after = canonical_dump()
    for label in before:
        assert after[label] == before[label], label
    assert pictures_after == pictures_before


@pytest.mark.django_db
def test_the_restored_site_serves_the_same_pages(newsroom, tmp_path, media_root, client):
    url = newsroom.get_absolute_url()
    page_before = client.get(url).content
    export_then_restore(tmp_path, media_root)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == page_before
    assert client.get("/search/?q=Kallas").status_code == 200


@pytest.mark.django_db
def test_a_restored_page_shows_the_html_of_its_markdown_not_the_html_of_the_file(
    newsroom, tmp_path, media_root, client
):
    """An archive is untrusted: a script slipped into an article's stored HTML (or its
    stored body items) never reaches a reader; the body is rendered from its Markdown."""
    url = newsroom.get_absolute_url()
    page_before = client.get(url).content
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())

    def forge(data):
        for article in data["articles"]:
            article["body_html"] = '<script>alert("forged")</script><p>Forged.</p>'
            article["body_items"] = [{"type": "html", "html": "<script>alert(1)</script>"}]

    forged = rewrite(path, forge)
    empty_the_database(media_root)
    call_command("import_archive", str(forged), stdout=io.StringIO())
    page = client.get(url).content
    assert b"forged" not in page and b"Forged." not in page and b"<script>alert" not in page
    assert page == page_before
    restored = Article.objects.get(slug=newsroom.slug)
    assert "<script" not in restored.body_html and "<script" not in str(restored.body_items)


@pytest.mark.django_db
def test_restored_staff_have_no_password_until_one_is_set(newsroom, tmp_path, media_root):
    export_then_restore(tmp_path, media_root)
    writer = get_user_model().objects.get(username="writer.one")
    assert not writer.has_usable_password()
    assert list(writer.groups.values_list("name", flat=True)) == ["Writers"]


@pytest.mark.django_db
def test_import_refuses_a_database_with_content(newsroom, tmp_path):
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"already has content \(5 articles.*--replace"):
        call_command("import_archive", str(path))


@pytest.mark.django_db
def test_replace_swaps_the_content_and_keeps_the_pictures(
    newsroom, tmp_path, django_capture_on_commit_callbacks
):
    """--replace over the same media folder: the deleted articles' files must not take
    the restored articles' pictures with them."""
    before, pictures_before = canonical_dump()
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    make_article(title="Written after the backup")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_archive", str(path), "--replace", stdout=io.StringIO())
    after, pictures_after = canonical_dump()
    # The old files are deleted once the replacement commits, so the restored pictures
    # are written beside them under new names.
    files = {"file", "renditions", "crops"}
    assert [without(row, {"lead_image"}) for row in after["articles.Article"]] == [
        without(row, {"lead_image"}) for row in before["articles.Article"]
    ]
    assert [without(row, files) for row in after["articles.Picture"]] == [
        without(row, files) for row in before["articles.Picture"]
    ]
    assert len(after["articles.PictureUse"]) == len(before["articles.PictureUse"]) > 0
    assert pictures_after.values() and sorted(pictures_after.values()) == sorted(
        pictures_before.values()
    )
    assert not Article.objects.filter(title="Written after the backup").exists()


@pytest.mark.django_db
def test_export_refuses_to_overwrite_unless_told(tmp_path):
    path = tmp_path / "backup.zip"
    path.write_bytes(b"precious")
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_archive", str(path))
    assert path.read_bytes() == b"precious"
    call_command("export_archive", str(path), "--overwrite", stdout=io.StringIO())
    assert zipfile.is_zipfile(path)


def rewrite(
    path, change_data=None, change_files=None, raw_data=None, compression=zipfile.ZIP_STORED
):
    """A copy of the archive at ``path``, its data or its files changed."""
    with zipfile.ZipFile(path) as source:
        data = json.loads(source.read(archive.DATA_NAME))
        files = {n: source.read(n) for n in source.namelist() if n != archive.DATA_NAME}
    if change_data:
        change_data(data)
    if change_files:
        change_files(files)
    changed = path.with_name("changed.zip")
    with zipfile.ZipFile(changed, "w", compression) as target:
        if raw_data != b"":
            target.writestr(archive.DATA_NAME, raw_data or json.dumps(data))
        for name, content in files.items():
            target.writestr(name, content)
    return changed


def a_picture(files):
    return next(name for name in files if name.endswith("original.jpg"))


def not_a_zip(path):
    path.write_bytes(b"PK\x03\x04 not really")
    return path


def drop_picture(files):
    del files[a_picture(files)]


def damage_picture(files):
    name = a_picture(files)
    files[name] = files[name][:-10] + b"0123456789"


def unknown_speaker(data):
    article = next(a for a in data["articles"] if a["quotes"])
    article["quotes"][0]["speaker"] = "nobody-at-all"


def first_article(**changes):
    return lambda data: data["articles"][0].update(changes)


def zip_bomb(path, member="archive.json", mebibytes=1024):
    """A zip of about 1 MB whose one member inflates to ``mebibytes`` MiB of spaces.

    Written by hand, deflating one MiB once: the same block repeats after a full flush.
    """
    chunk = b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert block == deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = block * mebibytes + deflate.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    size, name = mebibytes << 20, member.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), size,
                        len(name), 0)  # fmt: skip
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body),
                          size, len(name), 0, 0, 0, 0, 0, 0)  # fmt: skip
    start = len(local) + len(name) + len(body)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), start, 0)
    bomb = path.with_name("bomb.zip")
    bomb.write_bytes(local + name + body + central + name + end)
    return bomb


def bomb_in_a_picture(path):
    """The archive with one picture swapped for 64 MiB of zeros, deflated to 64 KB."""
    with zipfile.ZipFile(path) as source:
        members = {n: source.read(n) for n in source.namelist()}
    changed = path.with_name("changed.zip")
    victim = a_picture(members)
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, content in members.items():
            if name != victim:
                target.writestr(name, content)
        with target.open(victim, "w") as member:
            for _ in range(64):
                member.write(bytes(1 << 20))
    return changed


def understated_data(path):
    """The archive with archive.json's size in the zip's directory set below the truth."""
    raw = bytearray(path.read_bytes())
    name = archive.DATA_NAME.encode()
    entry = next(
        at
        for at in range(len(raw))
        if raw[at : at + 4] == b"PK\x01\x02" and raw[at + 46 : at + 46 + len(name)] == name
    )
    struct.pack_into("<L", raw, entry + 24, 100)  # the uncompressed size: 100 bytes
    changed = path.with_name("changed.zip")
    changed.write_bytes(raw)
    return changed


def swap_picture(content, extension=None):
    """The archive with the lead picture's original replaced by ``content`` (its digest
    made to match), renamed to ``extension`` if given: a forger's archive."""

    def make(path):
        names = {}

        def change_data(data):
            old = data["pictures"][0]["file"]
            new = old.rsplit(".", 1)[0] + extension if extension else old
            rename_picture(data, old, new)
            del data["files"][old]
            data["files"][new] = hashlib.sha256(content).hexdigest()
            names.update(old=old, new=new)

        def change_files(files):
            del files[archive.MEDIA_PREFIX + names["old"]]
            files[archive.MEDIA_PREFIX + names["new"]] = content

        return rewrite(path, change_data, change_files)

    return make


def rename_picture(data, old, new):
    """The archive's picture ``old`` (its original's name) renamed ``new`` everywhere."""
    for picture in data["pictures"]:
        if picture["file"] == old:
            picture["file"] = new
    for article in data["articles"]:
        if article["lead_image"] == old:
            article["lead_image"] = new
        for use in article["picture_uses"]:
            if use["picture"] == old:
                use["picture"] = new


def uncompressed_png(side, noise=0):
    """A PNG stored without compression, ``side`` pixels square: each row starts with
    ``noise`` random bytes, zeros after. Deflate shrinks it by about ``side / noise``."""
    rows = random.Random(7)
    pixels = b"".join(rows.randbytes(noise) + bytes(side - noise) for _ in range(side))
    buffer = io.BytesIO()
    Image.frombytes("L", (side, side), pixels).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def one_picture_under_many_names(content, count):
    """The lead picture and its renditions replaced by ``content`` under ``count`` names
    (one the original, the rest renditions), deflated: what a forger can send."""

    def make(path):
        names = [f"lead-images/many/{n}.png" for n in range(count)]

        def change_data(data):
            picture = data["pictures"][0]
            data["files"] = {}
            rename_picture(data, picture["file"], names[0])
            picture["renditions"] = [
                {"name": name, "width": 2000, "height": 2000, "format": "png"} for name in names[1:]
            ]
            picture["crops"] = {}
            data["files"].update(dict.fromkeys(names, hashlib.sha256(content).hexdigest()))

        def change_files(files):
            for name in [n for n in files if n.startswith(archive.MEDIA_PREFIX)]:
                del files[name]
            files.update({archive.MEDIA_PREFIX + name: content for name in names})

        return rewrite(path, change_data, change_files, compression=zipfile.ZIP_DEFLATED)

    return make


def one_rendition_too_many(data):
    renditions = data["pictures"][0]["renditions"]
    renditions.append(renditions[0])


def first_update(**changes):
    return lambda data: data["live_updates"][0].update(changes)


def first_coverage(**changes):
    return lambda data: data["live_coverage"][0].update(changes)


def said_live(data):
    """The first quote said in a live update, and the article it belongs to."""
    return next(
        (quote, article)
        for article in data["articles"]
        for quote in article["quotes"]
        if quote["update"] is not None
    )


def first_quote_said_live(**changes):
    return lambda data: said_live(data)[0].update(changes)


def same_id_twice(data):
    data["live_updates"][1]["id"] = data["live_updates"][0]["id"]


def all_pinned(data):
    for update in data["live_updates"]:
        update["is_pinned"] = True


def covered_twice(data):
    data["live_coverage"].append(dict(data["live_coverage"][0]))


def quote_moved_to_another_article(data):
    """A quote said in an update of the live article, moved to another article."""
    quote, article = said_live(data)
    article["quotes"].remove(quote)
    other = next(a for a in data["articles"] if a is not article)
    other["quotes"].append(quote)


HTML_PAGE = b"<!doctype html><script>fetch('/admin/')</script>"
SVG_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
)
NOT_A_PICTURE = "is refused: This file is not a JPEG, PNG, WebP or GIF picture"

BAD_ARCHIVES = {
    "not a zip": (not_a_zip, "not a zip file"),
    "no data": (lambda p: rewrite(p, raw_data=b""), "no archive.json"),
    "not JSON": (lambda p: rewrite(p, raw_data=b"{broken"), "not valid JSON"),
    "another format": (
        lambda p: rewrite(p, lambda d: d.update(format="wordpress")),
        "not a Newsroom archive",
    ),
    "a newer version": (lambda p: rewrite(p, lambda d: d.update(version=99)), "format 99"),
    "a picture missing": (
        lambda p: rewrite(p, change_files=drop_picture),
        "missing from the archive",
    ),
    "a damaged picture": (lambda p: rewrite(p, change_files=damage_picture), "is damaged"),
    "an unknown speaker": (lambda p: rewrite(p, unknown_speaker), "person “nobody-at-all”"),
    "a bad date": (
        lambda p: rewrite(p, first_article(published_at="the 32nd of Smarch")),
        "invalid “published_at”",
    ),
    "an escaping file name": (
        lambda p: rewrite(p, lambda d: d["pictures"][0].update(file="../../outside.jpg")),
        "unsafely",
    ),
    "a headline too long": (
        lambda p: rewrite(p, first_article(title="x" * 300)),
        "at most 250 characters",
    ),
    "rows missing": (lambda p: rewrite(p, lambda d: d.pop("people")), "damaged or malformed"),
    "an HTML page named as a picture": (swap_picture(HTML_PAGE), NOT_A_PICTURE),
    "an HTML page named .html": (swap_picture(HTML_PAGE, ".html"), "is not named as a JPEG"),
    "an SVG picture": (swap_picture(SVG_PICTURE, ".svg"), "is not named as a JPEG"),
    "an SVG named as a picture": (swap_picture(SVG_PICTURE), NOT_A_PICTURE),
    "a real picture named .html": (
        swap_picture(picture_bytes("JPEG", (64, 48)), ".html"),
        "is not named as a JPEG",
    ),
    "a PNG named as a JPEG": (swap_picture(png_bytes()), "a PNG picture named as JPEG"),
    "a truncated picture": (
        swap_picture(picture_bytes("JPEG", (640, 480))[:600]),
        "damaged or incomplete",
    ),
    "a decompression bomb picture": (
        lambda p: swap_picture(decompression_bomb())(p),
        "This picture has too many pixels",
    ),
    "a zip bomb for archive.json": (
        zip_bomb,
        "archive.json in {path} would unpack to 1,024.0 MB, over the limit of 512.0 MB: "
        "refused unread",
    ),
    "a zip bomb for a picture": (bomb_in_a_picture, "would unpack to 64.0 MB, over the limit"),
    "archive.json larger than declared": (understated_data, "is damaged"),
    # 4 MB of black under six names: 24 MB from a zip of a few hundred KB.
    "one picture under many names": (
        lambda p: one_picture_under_many_names(uncompressed_png(2000), 6)(p),
        "would unpack to 3.8 MB from 0.0 MB, over 100 times its size in the zip",
    ),
    # Compressed about 10:1, as no picture is, six times: past twice the archive's size.
    "pictures past twice the archive's size": (
        lambda p: one_picture_under_many_names(uncompressed_png(2000, noise=200), 6)(p),
        "The archive's 6 picture files would unpack to 22.9 MB, over the limit of",
    ),
    "more renditions than an export makes": (
        lambda p: rewrite(p, one_rendition_too_many),
        "lists 7 renditions and 5 crops; an export makes at most 6 and 5: refused",
    ),
    "live coverage of an article not held": (
        lambda p: rewrite(p, first_coverage(article=99)),
        "live coverage names an article it does not hold: 99",
    ),
    "an article covered live twice": (
        lambda p: rewrite(p, covered_twice),
        "covers the article “Summit live” live twice",
    ),
    "live coverage in an unknown state": (
        lambda p: rewrite(p, first_coverage(state="paused")),
        "“Live coverage of “Summit live”” is invalid (state: Value 'paused' is not a valid",
    ),
    "live coverage ending before it starts": (
        lambda p: rewrite(p, first_coverage(ends_at="2000-01-01T00:00:00+00:00")),
        "Live coverage of “Summit live” ends before it starts",
    ),
    "a closing summary nested too deeply": (
        lambda p: rewrite(p, first_coverage(summary="Over.\n\n" + "> " * 30 + "Deep.")),
        "closing summary is refused: Lists or quotations are nested too deeply at line 3",
    ),
    "live updates malformed": (
        lambda p: rewrite(p, lambda d: d.update(live_updates={"one": 1})),
        "damaged or malformed",
    ),
    "a live update of an article not held": (
        lambda p: rewrite(p, first_update(article="0")),
        "live update names an article it does not hold: '0'",
    ),
    "a live update without an id": (
        lambda p: rewrite(p, first_update(id=None)),
        "gives a live update an invalid id: None",
    ),
    "a live update with an id past the column": (
        lambda p: rewrite(p, first_update(id=2**63)),
        "gives a live update an invalid id: 9223372036854775808",
    ),
    "two live updates with one id": (
        lambda p: rewrite(p, same_id_twice),
        "two live updates with the same id",
    ),
    "two pinned updates of one article": (
        lambda p: rewrite(p, all_pinned),
        "pins two updates of the article “Summit live”; only one can be pinned",
    ),
    "a live update by a user not listed": (
        lambda p: rewrite(p, first_update(author="nobody")),
        "refers to a user “nobody” it does not list",
    ),
    "a live update at no time": (
        lambda p: rewrite(p, first_update(published_at="at tea time")),
        "live update has an invalid “published_at”",
    ),
    "a live update's flag that is no flag": (
        lambda p: rewrite(p, first_update(is_key_event="perhaps")),
        "live update has an invalid “is_key_event”",
    ),
    "a live update without text": (
        lambda p: rewrite(p, first_update(body="  ")),
        "has no text",
    ),
    "a live update too long": (
        lambda p: rewrite(p, first_update(body="x" * 10_001)),
        "may be at most 10,000 characters long; this one has 10,001",
    ),
    "a live update nested too deeply": (
        lambda p: rewrite(p, first_update(body="> " * 30 + "Deep.")),
        "is refused: Lists or quotations are nested too deeply",
    ),
    "a live update's edit number below zero": (
        lambda p: rewrite(p, first_update(edit_version=-1)),
        "edit_version: Ensure this value is greater than or equal to 0",
    ),
    "a quote said in an update not held": (
        lambda p: rewrite(p, first_quote_said_live(update=424242)),
        "names a live update of that article that the archive does not hold: 424242",
    ),
    "a quote said in another article's update": (
        lambda p: rewrite(p, quote_moved_to_another_article),
        "names a live update of that article that the archive does not hold",
    ),
    "a quote of an update numbered among the body's": (
        lambda p: rewrite(p, first_quote_said_live(position=2)),
        "is numbered 2; quotes of updates are numbered from 1001",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_clearly_and_nothing_is_written(
    case, newsroom, tmp_path, media_root
):
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    make_bad, message = BAD_ARCHIVES[case]
    bad = make_bad(path)
    empty_the_database(media_root)
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as raised:
            call_command("import_archive", str(bad))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.format(path=bad) in str(raised.value)
    assert peak < 100 * 1024 * 1024, "a refused archive is not inflated into memory"
    assert archive.existing_content() == []
    assert not get_user_model().objects.exists()
    assert not list(Path(media_root).rglob("*.*")), "no picture file may stay behind"


@pytest.mark.django_db
def test_a_refused_archive_leaves_the_replaced_content_and_its_pictures(newsroom, tmp_path):
    """--replace with an archive refused for its pictures: nothing deleted, nothing written."""
    before, pictures_before = canonical_dump()
    media = sorted(Path(default_storage.location).rglob("*.*"))
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    bad = one_picture_under_many_names(uncompressed_png(2000), 6)(path)
    with pytest.raises(CommandError, match="over 100 times its size in the zip"):
        call_command("import_archive", str(bad), "--replace")
    assert canonical_dump() == (before, pictures_before)
    assert sorted(Path(default_storage.location).rglob("*.*")) == media


@pytest.mark.django_db
def test_the_limit_on_pictures_is_the_operators_to_set(newsroom, tmp_path, media_root):
    """--max-media-mb: refused unread over it; a larger one lets a big archive in."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    large = one_picture_under_many_names(uncompressed_png(2000, noise=200), 6)(path)
    empty_the_database(media_root)
    with pytest.raises(
        CommandError, match=r"12 picture files would unpack to .* over the limit of 0\.0 MB"
    ):
        call_command("import_archive", str(path), "--max-media-mb", "0")
    assert archive.existing_content() == []
    assert not list(Path(media_root).rglob("*.*"))
    out = io.StringIO()
    call_command("import_archive", str(large), "--max-media-mb", "30", stdout=out)
    assert "5 articles" in out.getvalue()
    assert len(list(Path(media_root).rglob("*.png"))) == 6


def test_an_archive_may_list_as_many_renditions_as_an_upload_makes(media_root):
    from django.core.files.base import ContentFile

    from articles.images import store_picture

    *_, renditions = store_picture(ContentFile(picture_bytes("JPEG", (2000, 1500)), "wide.jpg"))
    assert len(renditions) == archive.MAX_RENDITIONS


@pytest.mark.django_db
def test_a_crash_mid_import_leaves_nothing_behind(newsroom, tmp_path, media_root, monkeypatch):
    """A failure after the articles, quotes and pictures are written undoes all of them."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    empty_the_database(media_root)
    reached = []

    def crash(restorer):
        reached.append(Article.objects.count())
        raise RuntimeError("power cut")

    monkeypatch.setattr(archive.Restorer, "restore_records", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        call_command("import_archive", str(path))
    assert reached == [5]  # the articles were written before the crash...
    assert archive.existing_content() == []  # ...and are gone
    assert not list(Path(media_root).rglob("*.*"))


@pytest.mark.django_db
def test_a_failed_export_leaves_no_partial_file(newsroom, tmp_path):
    (tmp_path / "backups").mkdir()
    path = tmp_path / "backups" / "backup.zip"
    default_storage.delete(newsroom.lead_image.file.name)
    with pytest.raises(CommandError, match="missing from storage"):
        call_command("export_archive", str(path))
    assert list(path.parent.iterdir()) == [], "neither the archive nor a temporary file"


@pytest.mark.django_db
def test_an_archive_is_versioned_and_names_things_not_ids(newsroom, tmp_path):
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as zipped:
        data = json.loads(zipped.read("archive.json"))
    assert (data["format"], data["version"]) == ("newsroom-archive", 4)
    draft = next(a for a in data["articles"] if a["title"].startswith("A draft"))
    assert draft["authors"] == ["writer.one"]
    assert draft["tags"] == ["zürich", "defence"]
    assert draft["quotes"][0]["speaker"] == "anna-speaker"
    assert draft["event_links"] == [{"kind": "previews", "event": "summit-in-zurich"}]
    assert "id" not in draft and "search_document" not in draft
    # Live coverage: the article by its place, authors by username; an update keeps its
    # id (its address), and the HTML is rendered again on restore, never read.
    place = next(n for n, a in enumerate(data["articles"]) if a["slug"] == "summit-live")
    assert data["live_coverage"][0]["article"] == place
    assert "summary_html" not in data["live_coverage"][0]
    first, *_ = data["live_updates"]
    assert first["article"] == place and first["author"] == "desk.editor"
    assert first["id"] == LiveUpdate.objects.get(headline="Arrivals").pk
    assert "body_html" not in first and first["edit_version"] == 2
    said = [q["update"] for q in data["articles"][place]["quotes"]]
    assert said[0] is None and set(said[1:]) <= {u["id"] for u in data["live_updates"]}
    assert timezone.now().isoformat()[:4] == data["exported_at"][:4]


@pytest.mark.django_db
def test_the_limit_on_archive_json_is_the_operators_to_set(newsroom, tmp_path, media_root):
    """--max-data-mb: refused unread over it, restored under it."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    empty_the_database(media_root)
    with pytest.raises(CommandError, match=r"over the limit of 0\.0 MB: refused unread"):
        call_command("import_archive", str(path), "--max-data-mb", "0")
    assert archive.existing_content() == []
    out = io.StringIO()
    call_command("import_archive", str(path), "--max-data-mb", "1", stdout=out)
    assert "5 articles" in out.getvalue()


@pytest.mark.django_db
def test_an_archive_of_format_1_restores_its_lead_images_into_the_library(
    newsroom, tmp_path, media_root, client
):
    """Archives written before the library (each article with its lead image's fields)."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    page = client.get(newsroom.get_absolute_url()).content.decode()
    srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', page).group(1)

    def as_format_1(data):
        pictures = {picture["file"]: picture for picture in data.pop("pictures")}
        data["version"] = 1
        for article in data["articles"]:
            article.pop("picture_uses")
            picture = pictures.get(article.pop("lead_image"), {})
            article.update(
                lead_image=picture.get("file", ""),
                lead_image_width=picture.get("width"),
                lead_image_height=picture.get("height"),
                lead_image_renditions=picture.get("renditions", []),
                lead_image_alt=picture.get("alt", ""),
                lead_image_caption=picture.get("caption", ""),
                lead_image_credit=picture.get("credit", ""),
            )

    old = rewrite(path, as_format_1)
    empty_the_database(media_root)
    call_command("import_archive", str(old), stdout=io.StringIO())
    article = Article.objects.get(slug=newsroom.slug)
    picture = article.lead_image
    assert picture.alt == newsroom.lead_image.alt and picture.credit == "Newsroom graphic"
    assert picture.uses.get().article == article
    page = client.get(article.get_absolute_url()).content.decode()
    assert srcset in page  # the same files, at the same addresses


# Live coverage


def reader_views(client, article):
    """What readers and apps get of a live article: its page, the fragment its script
    polls, its updates' feed, its speaker's page and the API's list of its updates."""
    url = article.get_absolute_url()
    return {
        "page": client.get(url).content.decode(),
        "fragment": client.get(f"{url}updates/").content.decode(),
        "feed": client.get(f"{url}updates/feed/").content.decode(),
        "speaker": client.get("/people/anna-speaker/").content.decode(),
        "api": client.get(f"/api/articles/{article.pk}/updates/").json(),
    }


@pytest.mark.django_db
def test_a_restored_live_article_shows_the_same_updates_at_the_same_addresses(
    newsroom, tmp_path, media_root, client
):
    """Each update keeps its anchor: a reader's link to …/#update-<id> still finds it,
    the speaker's page still links each quote to its update, and the API answers the same."""
    article = Article.objects.get(slug="summit-live")
    updates = list(article.live_updates.order_by("pk"))
    pinned = next(update for update in updates if update.is_pinned)
    before = reader_views(client, article)
    assert before["api"]["count"] == 4

    export_then_restore(tmp_path, media_root)

    restored = Article.objects.get(slug="summit-live")
    after = reader_views(client, restored)
    assert after["page"] == before["page"]
    assert after["fragment"] == before["fragment"]
    assert after["feed"] == before["feed"]
    assert after["speaker"] == before["speaker"]
    assert without(after["api"], {"article"}) == without(before["api"], {"article"})
    # ...and what those pages show is the live coverage, at the updates' own addresses.
    url = restored.get_absolute_url()
    for update in updates:
        assert f'id="update-{update.pk}"' in after["page"]
    assert after["page"].count(f'href="#update-{pinned.pk}"') >= 2  # key events, pinned copy
    assert "The summit <em>agreed</em> a statement." in after["page"]
    assert "The city was misspelt." in after["page"]
    for quote in restored.quotes.filter(update__isnull=False):
        assert f"{url}#update-{quote.update_id}" in after["speaker"]
    assert [u["id"] for u in after["api"]["results"]] == [u["id"] for u in before["api"]["results"]]
    corrected = next(u for u in after["api"]["results"] if u["correction"])
    assert corrected["headline"] == "Arrivals" and corrected["author"] == "Desk.Editor"
    assert LiveUpdate.objects.get(pk=corrected["id"]).edit_version == 2
    assert {q.update_id for q in restored.quotes.all()} == {None, *(u.pk for u in updates[1:3])}


@pytest.mark.django_db
def test_ids_restored_for_updates_are_never_handed_out_again(newsroom, tmp_path, editor):
    """Posting after a restore, even over updates written after the backup and lost
    with --replace: a new update gets an id no reader has seen."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    article = Article.objects.get(slug="summit-live")
    live.make_live(article)
    lost = live.post_update(article, editor, "Written after the backup.")
    call_command("import_archive", str(path), "--replace", stdout=io.StringIO())
    assert not LiveUpdate.objects.filter(pk=lost.pk).exists()
    restored = Article.objects.get(slug="summit-live")
    live.make_live(restored)
    assert live.post_update(restored, editor, "Written after the restore.").pk > lost.pk


def forget_update_ids():
    """Start the updates' ids again from 1, as in a new database."""
    table = LiveUpdate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} RESTART WITH 1")
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])


@pytest.mark.django_db
def test_posting_into_a_new_database_after_a_restore_takes_a_new_id(newsroom, tmp_path, media_root):
    """The restored updates keep their ids; the next one posted takes the next id."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    ids = set(LiveUpdate.objects.values_list("pk", flat=True))
    empty_the_database(media_root)
    forget_update_ids()
    call_command("import_archive", str(path), stdout=io.StringIO())
    assert set(LiveUpdate.objects.values_list("pk", flat=True)) == ids
    article = Article.objects.get(slug="summit-live")
    editor = make_staff("another.editor", "Editors")
    assert live.post_update(article, editor, "The first after the restore.").pk > max(ids)


@pytest.mark.django_db
def test_an_archive_from_before_live_coverage_still_restores(newsroom, tmp_path, media_root):
    """Format 2: no coverage, no updates, quotes naming no update."""
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())

    def as_format_2(data):
        data["version"] = 2
        del data["live_coverage"], data["live_updates"]
        for article in data["articles"]:
            for quote in article["quotes"]:
                del quote["update"]

    old = rewrite(path, as_format_2)
    empty_the_database(media_root)
    out = io.StringIO()
    call_command("import_archive", str(old), stdout=out)
    assert "5 articles" in out.getvalue() and "0 live updates" in out.getvalue()
    article = Article.objects.get(slug="summit-live")
    assert article.quotes.count() == 4 and not LiveUpdate.objects.exists()


@pytest.mark.django_db
def test_a_restore_renews_the_cached_live_page_and_its_polling(
    newsroom, tmp_path, media_root, editor, client, settings, django_capture_on_commit_callbacks
):
    """Restored into a new database beside the same cache: the page, the polling fragment
    and the speaker's page cached before show the backup after, and a reader polling with
    the old ETag gets the updates, not "nothing new"."""
    settings.PAGE_CACHE_SECONDS = 60
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    article = Article.objects.get(slug="summit-live")
    with django_capture_on_commit_callbacks(execute=True):
        live.make_live(article)
        live.post_update(
            article, editor, "Written after the backup.", quotes=[(newsroom_speaker(), "", "Lost.")]
        )
    url = article.get_absolute_url()
    pages = [url, f"{url}updates/", "/people/anna-speaker/"]
    for _ in range(3):
        cached = {page: client.get(page) for page in pages}
    for page, response in cached.items():
        assert response["X-Cache"] == "hit", page
        assert "Written after the backup." in response.content.decode() or "Lost." in (
            response.content.decode()
        )

    empty_the_database(media_root)  # as a new database would be: nothing renewed
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_archive", str(path), stdout=io.StringIO())

    for page in pages:
        response = client.get(page, headers={"if-none-match": cached[page]["ETag"]})
        assert response.status_code == 200 and response["X-Cache"] == "miss", page
        assert "Written after the backup." not in response.content.decode()
        assert "Lost." not in response.content.decode()
    assert "We agreed on all points." in client.get("/people/anna-speaker/").content.decode()
    assert "The summit <em>agreed</em> a statement." in client.get(url).content.decode()


def newsroom_speaker():
    return Person.objects.get(slug="anna-speaker")
