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
from urllib.parse import quote, urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import CheckboxInput, FileInput, ModelChoiceField, MultiWidget, SelectMultiple
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from reversion.models import Version
from taggit.models import Tag

from articles import services, vocabulary
from articles.importer import analyse, read_text
from articles.importer.forms import Review
from articles.live import services as live_services
from articles.models import (
    ApiToken,
    Article,
    Coverage,
    Event,
    MergeRecord,
    Person,
    ShareLink,
    SlugRedirect,
)
from articles.roles import EDITORS, WRITERS
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_picture,
    make_quote,
    make_user,
)
from tests.test_editorial import form_data
from tests.test_importer import MARCH_18, SEED

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    derandomize=True,  # the same examples every run: CI must not pass or fail by chance
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Tests run once per registered model: fewer examples each, so the file stays quick.
FUZZ_EACH_MODEL = settings(FUZZ, max_examples=15)

HUGE = "x" * 10_000
BAD_VALUES = [
    "", " ", "abc", "-1", "0", "999999999", "9" * 30, "-" + "9" * 30, "1.5", "1e400", "NaN",
    "2025-02-30", "99:99", "25:61:61", "31/02/2025", "0000-00-00", "01/01/0001", "00:00:00",
    "31/12/9999", "23:59:59", "9999-12-31 23:59:59", "true", "on", "None", "null", "[]",
    "{}", "%s%s%n", "../../etc/passwd", "<script>alert(1)</script>", "a\x00b",
    "\u202e\u200b\ufeff",
]  # fmt: skip
# Long values, made when drawn so that a failure report stays readable.
LONG_VALUES = [("x", 10_000), ("ж", 10_000), ("🙂", 3_000), ("x", 101), ("x", 201), ("x", 251)]
# Unicode junk a browser could send: no lone surrogates (they cannot be encoded).
junk_text = st.text(
    alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40
)
bad_value = st.one_of(
    st.sampled_from(BAD_VALUES),
    st.sampled_from(LONG_VALUES).map(lambda long: long[0] * long[1]),
    junk_text,
)
# What a forged id looks like: not a number, out of any range, or no row's.
BAD_IDS = ["abc", "", " ", "-1", "0", "999999999", "9" * 30, "-" + "9" * 30, "1.5", "1_0", "٣"]
bad_id = st.one_of(st.sampled_from(BAD_IDS), bad_value)
bad_ids = st.lists(bad_id, max_size=3)


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
            posted[bound.html_name] = ([str(v) for v in value or []], "ids")
        else:
            formatted = widget.format_value(value) if value is not None else ""
            kind = "id" if isinstance(field, ModelChoiceField) else "text"
            posted[bound.html_name] = (formatted or "", kind)
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
                strategy = {"file": bad_upload, "id": bad_id, "ids": bad_ids}.get(kind, bad_value)
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
    editor = make_user("fuzz.editor", is_staff=True, is_superuser=True)
    writer = staff("fuzz.writer", WRITERS)
    other = staff("fuzz.other", EDITORS)
    tags = ["Ukraine", "Defence"]
    picture = make_picture((64, 48), alt="Ministers at the door")  # a picture of the library
    article = make_article(tags=tags, title="Talks resume", slug="talks-resume", lead_image=picture)
    make_article(tags=tags, title="Talks end", slug="talks-end")
    make_quote(article, make_person(name="David Lammy"))
    make_quote(article, make_person(name="John Healey"))
    make_article(
        tags=tags, title="Watch", slug="watch", body="::: embed https://vimeo.com/76979871"
    )
    summit = link_event(article, make_event(name="UK–EU Summit")).event
    make_event(name="Berlin Process Summit")
    Coverage.objects.create(event=summit, assignee=writer, status="assigned", brief="Arrivals")
    make_correction(article)
    ShareLink.objects.create(article=article, note="for legal", created_by=editor)
    services.unpublish(article, editor)  # leaves a revision to compare
    services.publish(article, editor)
    draft = make_article(tags=tags, status=Article.Status.DRAFT, published_at=None)
    draft.created_by = writer
    draft.save()
    make_quote(draft)
    SlugRedirect.objects.create(kind="tag", old_slug="ukraine-war", new_slug="ukraine")
    vocabulary.merge(Tag.objects.create(name="Kyiv"), [Tag.objects.create(name="Kiev")], editor)
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x", "path_info": "/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    ApiToken.issue(writer, "wire desk", created_by=editor)
    live_services.make_live(article, editor)
    live_services.post_update(
        article, editor, "Leaders arrive.", quotes=[(make_person(), "", "Hi.")]
    )
    return {
        "editor": editor, "writer": writer, "other": other, "article": article, "draft": draft,
    }  # fmt: skip


@pytest.fixture
def editor(client, newsroom):
    """The test client, logged in as an editor once, before any example runs."""
    client.force_login(newsroom["editor"])
    return newsroom["editor"]


@pytest.fixture
def writer(client, newsroom):
    client.force_login(newsroom["writer"])
    return newsroom["writer"]


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
@FUZZ_EACH_MODEL
@given(data=st.data())
def test_every_admin_form_refuses_bad_values_cleanly(client, editor, newsroom, model, action, data):
    """Spoiled fields, inline rows and management data in every add and change form."""
    target = change_target(model, newsroom) if action == "change" else None
    if action == "change" and target is None:
        pytest.skip(f"no {model._meta.verbose_name} to change")
    post_spoiled_form(client, data, editor, model, target)


@pytest.mark.parametrize("action", ["add", "change"])
@FUZZ
@given(data=st.data())
def test_a_writer_s_article_form_refuses_bad_values_cleanly(client, writer, newsroom, action, data):
    """The writer's article form (no publishing, no corrections) with spoiled values."""
    target = newsroom["draft"] if action == "change" else None
    post_spoiled_form(client, data, writer, Article, target)


def test_forged_ids_in_autocomplete_fields_get_the_form_s_own_message(client, editor, newsroom):
    """A non-numeric or huge id for a tag, co-author or speaker: the form says it is not valid."""
    article = newsroom["article"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    first = article.quotes.first()
    quote_rows = {
        "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "1", "quotes-0-id": str(first.pk),
        "quotes-0-article": str(article.pk), "quotes-0-text": first.text,
        "quotes-0-position": "1",
    }  # fmt: skip
    for forged in [
        {"tags": ["abc"]},
        {"tags": ["9" * 30]},  # more than any integer column holds
        {"authors": [" ", "1.5"]},
        {"authors": ["-" + "9" * 30]},
        {**quote_rows, "quotes-0-speaker": "abc"},
        {**quote_rows, "quotes-0-speaker": "9" * 30},
    ]:
        response = client.post(url, {**form_data(article), **forged})
        assert response.status_code == 200
        errors = response.context["errors"]
        assert "is not a valid value" in str(errors) or "Select a valid choice" in str(errors)


@pytest.mark.parametrize(
    ("address", "status", "lands_on"),
    [
        ("/admin/articles/article/?published_at__year=-1", 302, "?e=1"),
        ("/admin/articles/article/?published_at__year=" + "9" * 30, 302, "?e=1"),
        ("/admin/articles/event/?starts_on__year=" + "9" * 30, 302, "?e=1"),
        ("/admin/articles/article/?pk__in=" + "9" * 30, 200, None),
        ("/admin/articles/person/?q=a%00b", 302, "?e=1"),
        ("/admin/auth/group/?q=%00", 302, "?e=1"),
        ("/admin/autocomplete/?term=a%00b&app_label=articles&model_name=article&field_name=tags",
         400, None),
        ("/admin/articles/article/abc/history/", 302, "/admin/"),
    ],
)  # fmt: skip
def test_addresses_that_once_broke_the_admin(client, editor, newsroom, address, status, lands_on):
    """Each of these answered with a server error before; now a list, a redirect or a 400."""
    response = client.get(address)
    assert response.status_code == status
    if lands_on:
        assert response["Location"].endswith(lands_on)


def test_a_tag_longer_than_the_database_allows_is_refused_with_a_message(client, editor, newsroom):
    article = newsroom["article"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, form_data(article, new_tags="x" * 101))
    assert response.status_code == 200
    assert "A tag may be at most 100 characters long" in response.content.decode()
    assert not Tag.objects.filter(name__startswith="xxx").exists()


def test_an_action_on_a_forged_selection_changes_nothing_and_says_so(client, editor, newsroom):
    draft = newsroom["draft"]
    url = reverse("admin:articles_article_changelist")
    fields = {"action": "publish_selected", "_selected_action": [draft.pk, "abc"], "index": "0"}
    response = client.post(url, fields, follow=True)
    assert "nothing was changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


# Bulk actions: publish, unpublish, tag, merge, delete, with forged selections.


def action_fields(data, model_admin, user):
    request = RequestFactory().post("/")
    request.user = user
    real_ids = [str(pk) for pk in model_admin.model._default_manager.values_list("pk", flat=True)]
    ids = st.one_of(st.sampled_from(real_ids), bad_id) if real_ids else bad_id
    actions = list(model_admin.get_actions(request))
    optional = {
        "index": st.sampled_from(["0", "1", "-1", "abc", "9" * 30]),
        "select_across": st.sampled_from(["0", "1", "abc", ""]),
        "survivor": ids,  # the merge's choice of the one to keep
        "tag_name": bad_value,  # the tag to add to articles
        "post": st.just("yes"),  # the confirmation of a deletion
    }
    fields = {
        "action": data.draw(st.one_of(st.sampled_from(actions or [""]), bad_value)),
        "_selected_action": data.draw(st.lists(ids, max_size=4)),
    }
    for name in data.draw(st.sets(st.sampled_from(sorted(optional)))):
        fields[name] = data.draw(optional[name])
    return fields


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@FUZZ_EACH_MODEL
@given(data=st.data())
def test_every_admin_action_refuses_forged_selections_cleanly(
    client, editor, newsroom, model, data
):
    """Junk ids, unknown actions, bad survivors and tag names: a message, not an error."""
    model_admin = admin.site._registry[model]
    fields = action_fields(data, model_admin, newsroom["editor"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with rolled_back():
        before = database_state()
        check_answer(client, client.post(url, fields), before)


@pytest.mark.parametrize("model", [Tag, Person, Event], ids=lambda model: model.__name__)
@FUZZ
@given(data=st.data())
def test_a_merge_with_forged_ids_happens_whole_or_not_at_all(client, editor, newsroom, model, data):
    """Junk among the ids or a bad choice of the one to keep: a full merge, or no change."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with rolled_back():
        real = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]]
        # Mostly real ids, so that merges happen too, with some junk among them.
        chosen = data.draw(st.lists(st.sampled_from(real), min_size=2, max_size=3))
        junk = st.one_of(st.just([]), st.lists(bad_id, min_size=1, max_size=2))
        selected = chosen + data.draw(junk)
        survivor = data.draw(st.one_of(st.sampled_from(chosen), st.sampled_from(real), bad_id))
        fields = {"action": "merge_selected", "_selected_action": selected, "survivor": survivor}
        before = database_state()
        check_answer(client, client.post(url, {**fields, "index": "0"}), before)
        merged = [pk for pk in real if pk in selected and pk != survivor]
        if MergeRecord.objects.count() > before["articles.MergeRecord"]:
            assert survivor in selected and merged
            assert not model.objects.filter(pk__in=merged).exists()
            assert model.objects.filter(pk=survivor).exists()
        else:
            assert database_state() == before


@FUZZ
@given(
    action=st.sampled_from(["publish_selected", "unpublish_selected", "add_tag_to_selected"]),
    selected=st.tuples(
        st.lists(st.sampled_from(["article", "draft"]), min_size=1, max_size=2),
        st.lists(bad_id, max_size=2),
    ).map(lambda parts: parts[0] + parts[1]),
    tag_name=st.one_of(junk_text, bad_value),
)
def test_bulk_article_actions_refuse_junk_ids_and_tag_names_cleanly(
    client, editor, newsroom, action, selected, tag_name
):
    """Publish, unpublish and tag with junk: no error; a tag goes on every article or none."""
    ids = [str(newsroom[item].pk) if item in ("article", "draft") else item for item in selected]
    fields = {"action": action, "_selected_action": ids, "tag_name": tag_name, "index": "0"}
    url = reverse("admin:articles_article_changelist")
    with rolled_back():
        before = database_state()
        check_answer(client, client.post(url, fields), before)
        name = tag_name.strip()
        if action == "add_tag_to_selected" and name and "\x00" not in name:
            articles = Article.objects.filter(pk__in=[i for i in ids if i.isdigit()])
            tagged = articles.filter(tags__name__iexact=name).count()
            assert tagged in (0, articles.count())
            if not tagged:
                assert database_state() == before


# The importer: paste or upload, then review.

BAD_SOURCES = [*BAD_FILES, ("story.txt", b"x" * (1024 * 1024 + 1))]


@FUZZ
@given(
    text=st.one_of(bad_value, st.just(SEED.read_text())),
    file=st.one_of(st.none(), st.sampled_from(BAD_SOURCES).map(upload)),
    published_on=st.one_of(bad_value, st.just("2025-03-18")),
)
def test_the_importer_s_first_step_refuses_bad_sources_cleanly(
    client, editor, newsroom, text, file, published_on
):
    """Analysing never saves: junk text, files and dates get the page back with a reason."""
    fields = {"_step": "analyse", "text": text, "published_on": published_on}
    if file is not None:
        fields["file"] = file
    url = reverse("admin:articles_article_import")
    with rolled_back():
        before = database_state()
        response = client.post(url, fields)
        assert response.status_code == 200
        assert database_state() == before


@FUZZ
@given(data=st.data())
def test_the_importer_s_review_refuses_bad_values_cleanly(client, editor, newsroom, data):
    """The review of an analysed story with spoiled fields: all saved, or nothing."""
    url = reverse("admin:articles_article_import")
    with rolled_back():
        review = Review(proposal=analyse(read_text(SEED.read_bytes()), MARCH_18))
        posted = posted_fields(review.article)
        for formset in review.parts()[1:]:
            posted.update(formset_fields(formset, extra_rows=data.draw(st.integers(0, 1))))
        fields = {**spoil(data, posted), "_step": "save"}
        before = database_state()
        response = client.post(url, fields)
        check_answer(client, response, before)
        if response.status_code == 302:
            assert Article.objects.count() == before["articles.Article"] + 1


# The article's own views: stale saves, revisions, share links.


@FUZZ
@given(base_version=st.one_of(bad_value, st.integers(-2, 5).map(str)))
def test_a_stale_or_forged_edit_number_is_refused_without_saving(
    client, editor, newsroom, base_version
):
    """Only the edit number the form was opened with saves; any other shows the form again."""
    article = newsroom["article"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    with rolled_back():
        article.refresh_from_db()
        fields = form_data(article, title="Changed headline", base_version=base_version)
        before = database_state(article)
        response = client.post(url, fields)
        check_answer(client, response, before, article)
        if response.status_code == 302:
            assert int(base_version) == article.edit_version


@FUZZ
@given(note=bad_value, expires_on=bad_value, expires_at=bad_value)
def test_share_links_refuse_bad_notes_and_expiry_times(
    client, editor, newsroom, note, expires_on, expires_at
):
    """A new share link with junk: the form again, or a link that opens (or has expired)."""
    article = newsroom["article"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    with rolled_back():
        article.refresh_from_db()
        fields = form_data(article)
        fields.update({
            "share_links-TOTAL_FORMS": "1", "share_links-0-note": note,
            "share_links-0-expires_at_0": expires_on, "share_links-0-expires_at_1": expires_at,
        })  # fmt: skip
        before = database_state(article)
        response = client.post(url, fields)
        check_answer(client, response, before, article)
        assert not ShareLink.objects.filter(created_by=None).exists(), "a link without author"
        if response.status_code == 302:
            link = ShareLink.objects.latest("created_at")
            assert client.get(link.get_absolute_url()).status_code in (200, 410)


JUNK_IDS = ["x", "-1", "0", "9" * 30, "1.5", "%00", "ж", "1 OR 1=1", "..%2F..%2F", "1e3", "%20"]


@FUZZ
@given(
    first=st.one_of(st.sampled_from(JUNK_IDS), bad_value, st.sampled_from(["current", "real"])),
    second=st.one_of(st.sampled_from(JUNK_IDS), bad_value, st.sampled_from(["current", "real"])),
)
def test_revisions_are_compared_and_restored_only_by_real_ids(
    client, editor, newsroom, first, second
):
    """Junk revision ids in the comparison, history and restore views: not found, not an error."""
    article = newsroom["article"]
    real = str(Version.objects.get_for_object(article).first().pk)
    first, second = (real if value == "real" else value for value in (first, second))
    change = reverse("admin:articles_article_change", args=[article.pk])
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    changelist = reverse("admin:articles_article_changelist")
    quoted = quote(first, safe="")
    urls = [
        f"{compare}?{urlencode({'from': first, 'to': second})}",
        f"{change.removesuffix('change/')}history/{quoted}/",
        f"{changelist}recover/{quoted}/",
        f"{changelist}{quoted}/history/{real}/",
        f"{changelist}{quoted}/preview/",
    ]
    with rolled_back():
        for url in urls:
            assert client.get(url).status_code < 500, url


# Lists and addresses: search, ordering, pages and filters with junk.


def filter_parameters(model_admin):
    """Query parameters the list's filters and date drill-down read, and some they do not."""
    names = ["q", "o", "p", "e", "all", "_to_field", "_popup", "id__gt", "pk__in", "nope__x"]
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            lookups = ["exact", "gte", "lt", "isnull", "in", "id__exact", "year"]
            names += [f"{entry}__{lookup}" for lookup in lookups]
        elif isinstance(entry, tuple | list):
            names += [f"{entry[0]}__exact", f"{entry[0]}__in"]
        else:
            names.append(entry.parameter_name)
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@FUZZ_EACH_MODEL
@given(data=st.data())
def test_every_admin_list_answers_junk_parameters_without_error(
    client, editor, newsroom, model, data
):
    """Search, sort, page and filter junk in every list: the list, or the admin's ?e=1 page."""
    model_admin = admin.site._registry[model]
    names = data.draw(st.sets(st.sampled_from(filter_parameters(model_admin)), min_size=1))
    values = st.one_of(bad_value, st.sampled_from(["a\x00b", "-", "1.-2.3", "0.0", "9" * 30]))
    params = {name: data.draw(values) for name in names}
    info = model._meta.app_label, model._meta.model_name
    url = reverse("admin:{}_{}_changelist".format(*info))
    junk_id = quote(data.draw(st.one_of(st.sampled_from(JUNK_IDS), bad_value)), safe="")
    object_url = reverse("admin:{}_{}_change".format(*info), args=["ID"])
    with rolled_back():
        assert client.get(url, params).status_code < 500, params
        for view in ("change", "history", "delete"):
            target = object_url.replace("ID/change/", f"{junk_id}/{view}/")
            assert client.get(target).status_code < 500, target
        autocomplete = {"term": params.get("q", ""), "page": params.get("p", "")}
        autocomplete.update(app_label="articles", model_name="article", field_name="tags")
        assert client.get(reverse("admin:autocomplete"), autocomplete).status_code < 500
