"""
Generated bad values in every admin form, list and custom view: an editor who mistypes,
pastes junk or forges a request gets the form back with a message, never a server
error, and a refused form saves nothing, not even half an article.

The forms' field names are read from the admin itself (every registered ModelAdmin,
its form and its inlines), so a new model, field or inline is fuzzed without a change
here. Each example starts from the values a browser would post back for an existing
object, then spoils some of them.
"""

import contextlib
import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import CheckboxInput, FileInput, MultiWidget, SelectMultiple
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from taggit.models import Tag

from articles import services
from articles.models import Article, ShareLink, SlugRedirect
from articles.roles import EDITORS, WRITERS
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    derandomize=True,  # the same examples every run: CI must not pass or fail by chance
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HUGE = "x" * 10_000
BAD_VALUES = [
    "", " ", "abc", "-1", "0", "999999999", "9" * 30, "-" + "9" * 30, "1.5", "1e400", "NaN",
    "2025-02-30", "99:99", "25:61:61", "31/02/2025", "0000-00-00", "01/01/0001", "00:00:00",
    "31/12/9999", "23:59:59", "9999-12-31 23:59:59", "true", "on", "None", "null", "[]",
    "{}", "%s%s%n", "../../etc/passwd", "<script>alert(1)</script>", "a\x00b", HUGE,
    "ж" * 10_000, "🙂" * 3_000, "\u202e\u200b\ufeff", "x" * 101, "x" * 201, "x" * 251,
]  # fmt: skip
# Unicode junk a browser could send: no lone surrogates (they cannot be encoded).
junk_text = st.text(
    alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40
)
bad_value = st.one_of(st.sampled_from(BAD_VALUES), junk_text)
bad_values = st.lists(bad_value, max_size=3)


def picture_bytes(size=(2, 2), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


PNG = picture_bytes()
BAD_FILES = [
    ("photo.jpg", b"this is text, not a picture"),
    ("photo.jpg", b""),
    ("photo.png", PNG[:20]),  # a header and nothing after
    ("photo.gif", b"GIF89a" + b"\xff" * 64),
    ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("x" * 300 + ".png", PNG),
    ("\u202egnp.exe", PNG),
    ("story.txt", "Headline\n\nBody in UTF-8 — with dashes.".encode()),
    ("story.txt", "Headline\n\nBody".encode("utf-16")),
    ("story.txt", b"\xff\xfe\x00\x00binary\x00"),
    ("photo.png", PNG),  # a real picture, so the rest of the form is checked too
]


def upload(choice):
    name, content = choice
    return SimpleUploadedFile(name, content)


bad_upload = st.sampled_from(BAD_FILES).map(upload)


# Reading a form the way a browser posts it.


def widget_of(field):
    widget = field.widget
    return getattr(widget, "widget", widget)  # inside the admin's add/change wrapper


def posted_fields(form):
    """{post key: (value a browser would post, kind)} for every field of ``form``."""
    posted = {}
    for name, field in form.fields.items():
        bound, widget = form[name], widget_of(field)
        value = bound.value()
        if isinstance(widget, MultiWidget):
            values = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, values, strict=True):
                posted[bound.html_name + suffix] = (sub.format_value(part) or "", "text")
        elif isinstance(widget, FileInput):
            posted[bound.html_name] = (None, "file")
        elif isinstance(widget, CheckboxInput):
            posted[bound.html_name] = ("on" if value else None, "text")
        elif isinstance(widget, SelectMultiple):
            posted[bound.html_name] = ([str(v) for v in value or []], "list")
        else:
            formatted = widget.format_value(value) if value is not None else ""
            posted[bound.html_name] = (formatted or "", "text")
    return posted


def formset_fields(formset, extra_rows):
    """The management data and every row of ``formset``, plus ``extra_rows`` new rows."""
    posted = {}
    for form in formset.forms:
        posted.update(posted_fields(form))
    for index in range(len(formset.forms), len(formset.forms) + extra_rows):
        for key, value in posted_fields(formset.empty_form).items():
            posted[key.replace("__prefix__", str(index))] = value
    management = {
        "TOTAL_FORMS": len(formset.forms) + extra_rows,
        "INITIAL_FORMS": formset.initial_form_count(),
        "MIN_NUM_FORMS": 0,
        "MAX_NUM_FORMS": 1000,
    }
    for name, value in management.items():
        posted[f"{formset.prefix}-{name}"] = (str(value), "text")
    return posted


def spoil(data, posted):
    """A strategy: ``posted`` with some values replaced by bad ones, as POST data."""
    posted = {**posted, "field_the_form_does_not_have": (None, "text")}
    keys = sorted(posted)

    @st.composite
    def spoiled(draw):
        chosen = draw(st.sets(st.sampled_from(keys), min_size=1, max_size=min(len(keys), 6)))
        result = {}
        for key, (value, kind) in posted.items():
            if key in chosen:
                strategy = {"file": bad_upload, "list": bad_values}.get(kind, bad_value)
                value = draw(st.one_of(strategy, st.none()))  # None: the field is left out
            if value is not None:
                result[key] = value
        return result

    return data.draw(spoiled())


# What must not change when a form is refused.

COUNTED = [
    "articles.Article", "articles.Quote", "articles.ArticleEvent", "articles.Correction",
    "articles.ShareLink", "articles.TaggedArticle", "articles.Person", "articles.Event",
    "articles.TagProfile", "articles.SlugRedirect", "articles.MergeRecord", "taggit.Tag",
    "auth.User", "auth.Group", "reversion.Version", "admin.LogEntry",
]  # fmt: skip


def database_state(target=None):
    counts = {label: apps.get_model(label).objects.count() for label in COUNTED}
    if target is not None:
        row = type(target)._default_manager.filter(pk=target.pk).values()
        counts["target"] = list(row)
    return counts


def check_answer(client, response, before, target=None):
    """No server error; a form shown again saved nothing; a saved object opens again."""
    assert response.status_code < 500
    if response.status_code == 200:
        assert database_state(target) == before, "a refused form changed the database"
    elif response.status_code == 302:
        assert client.get(response["Location"]).status_code < 500


# The newsroom as the forms find it.


def staff(username, role):
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def newsroom():
    """Two of everything, so a slug or name can collide with another row's."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    editor = make_user("fuzz.editor", is_staff=True, is_superuser=True)
    writer = staff("fuzz.writer", WRITERS)
    other = staff("fuzz.other", EDITORS)
    tags = ["Ukraine", "Defence"]
    article = make_article(tags=tags, title="Talks resume", slug="talks-resume")
    make_article(tags=tags, title="Talks end", slug="talks-end")
    make_quote(article, make_person(name="David Lammy"))
    make_quote(article, make_person(name="John Healey"))
    link_event(article, make_event(name="UK–EU Summit"))
    make_event(name="Berlin Process Summit")
    make_correction(article)
    ShareLink.objects.create(article=article, note="for legal", created_by=editor)
    services.unpublish(article, editor)  # leaves a revision to compare
    services.publish(article, editor)
    draft = make_article(tags=tags, status=Article.Status.DRAFT, published_at=None)
    draft.created_by = writer
    draft.save()
    make_quote(draft)
    SlugRedirect.objects.create(kind="tag", old_slug="ukraine-war", new_slug="ukraine")
    from articles import vocabulary

    vocabulary.merge(Tag.objects.create(name="Kyiv"), [Tag.objects.create(name="Kiev")], editor)
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x", "path_info": "/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    return {
        "editor": editor, "writer": writer, "other": other, "article": article, "draft": draft,
    }  # fmt: skip


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def change_target(model, newsroom):
    if model is Article:
        return newsroom["article"]
    if model._meta.label == "auth.User":
        return newsroom["other"]  # not the one logged in
    return model._default_manager.order_by("pk").first()


@contextlib.contextmanager
def rolled_back():
    """Whatever an example saved is undone after it: each one starts from the same newsroom."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def form_and_inlines(model_admin, user, obj):
    """Every post key of the admin's form for ``obj`` (None: the add form)."""
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    # The add form starts from an existing object's values: duplicates on purpose.
    sample = obj or model_admin.model._default_manager.order_by("pk").first()
    if sample is not None and hasattr(form_class, "_meta"):
        form = form_class(instance=type(sample)._default_manager.get(pk=sample.pk))
    else:
        form = form_class()
    posted = posted_fields(form)
    instance = obj or model_admin.model()
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        kwargs = model_admin.get_formset_kwargs(request, instance, inline, prefix)
        posted.update(formset_fields(formset_class(**kwargs), extra_rows=1))
    return posted


BUTTONS = [
    {}, {"_continue": "1"}, {"_addanother": "1"}, {"_saveasnew": "1"},
    {"_workflow": "submit"}, {"_workflow": "publish"}, {"_workflow": "unpublish"},
    {"_workflow": HUGE},
]  # fmt: skip


def post_spoiled_form(client, data, user, model, target):
    model_admin = admin.site._registry[model]
    posted = form_and_inlines(model_admin, user, target)
    fields = spoil(data, posted)
    fields.update(data.draw(st.sampled_from(BUTTONS)))
    info = model._meta.app_label, model._meta.model_name
    if target is None:
        url = reverse("admin:{}_{}_add".format(*info))
    else:
        url = reverse("admin:{}_{}_change".format(*info), args=[target.pk])
    with rolled_back():
        before = database_state(target)
        check_answer(client, client.post(url, fields), before, target)


@pytest.mark.parametrize("action", ["add", "change"])
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@FUZZ
@given(data=st.data())
def test_every_admin_form_refuses_bad_values_cleanly(client, newsroom, model, action, data):
    """Spoiled fields, inline rows and management data in every add and change form."""
    client.force_login(newsroom["editor"])
    target = change_target(model, newsroom) if action == "change" else None
    if action == "change" and target is None:
        pytest.skip(f"no {model._meta.verbose_name} to change")
    post_spoiled_form(client, data, newsroom["editor"], model, target)


@pytest.mark.parametrize("action", ["add", "change"])
@FUZZ
@given(data=st.data())
def test_a_writer_s_article_form_refuses_bad_values_cleanly(client, newsroom, action, data):
    """The writer's article form (no publishing, no corrections) with spoiled values."""
    client.force_login(newsroom["writer"])
    target = newsroom["draft"] if action == "change" else None
    post_spoiled_form(client, data, newsroom["writer"], Article, target)


def test_forged_ids_in_autocomplete_fields_get_the_form_s_own_message(client, newsroom):
    """A non-numeric id for a tag, co-author or speaker: the form says it is not valid."""
    from tests.test_editorial import form_data

    client.force_login(newsroom["editor"])
    article = newsroom["article"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    quote = article.quotes.first()
    quote_rows = {
        "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "1", "quotes-0-id": str(quote.pk),
        "quotes-0-article": str(article.pk), "quotes-0-text": quote.text,
        "quotes-0-position": "1",
    }  # fmt: skip
    for forged in [
        {"tags": ["abc"]},
        {"authors": [" ", "1.5"]},
        {**quote_rows, "quotes-0-speaker": "abc"},
    ]:
        response = client.post(url, {**form_data(article), **forged})
        assert response.status_code == 200
        errors = response.context["errors"]
        assert "is not a valid value" in str(errors) or "Select a valid choice" in str(errors)
