"""
The authorization walk: every URL pattern the resolver knows (Django's admin,
django-reversion's and django-axes' views, the /r/ shortcut, the API, the public site),
requested with GET and POST by each role (anonymous, a writer, another writer, an
editor), each parameter filled with something that role must not reach: another
writer's draft, a published article (to change or restore), an id of another model, a
version of another object, a revision holding several articles, a superuser to make a
token for. Everyone has an autosave about, which only its own writer may ever see.
Every answer must be a refusal or a page without anything the role may not see, never
a server error, and the database must be as it was.

New URLs are walked by themselves: a pattern with a parameter the table below cannot
fill fails the walk, and so does a pattern the walk did not request.
"""

import contextlib
import itertools
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote
from urllib.parse import unquote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from reversion.models import Revision, Version
from taggit.models import Tag

from articles import services
from articles.embeds.models import Embed
from articles.live import services as live_services
from articles.live.models import LiveCoverage, LiveUpdate
from articles.models import (
    SHARE_SALT,
    ApiToken,
    Article,
    ArticleEvent,
    Autosave,
    Correction,
    Coverage,
    Event,
    EventPlanning,
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
from tests.factories import (
    link_event,
    make_article,
    make_event,
    make_person,
    make_picture,
    make_quote,
)
from tests.test_editorial import EDITORS, WRITERS, draft_by, form_data, staff

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "writer", "other writer", "editor"]
TIME_LIMIT = 45  # seconds for one role's walk (about 15 on PostgreSQL on a busy machine)

# What refusing looks like. A redirect counts (to the login page, or the admin's “no
# such object” redirect) as long as it does not lead to what was refused.
REFUSALS = {301, 302, 400, 401, 403, 404, 405, 410}
# django-reversion's views take their ids as unnamed groups: their names, by URL name.
POSITIONAL = {"revision": ("object_id", "version_id"), "recover": ("version_id",)}
# Answers that anonymous visitors get from the admin without logging in.
ADMIN_WITHOUT_LOGIN = {"admin:login"}


# The newsroom the walk runs in.


@dataclass
class Newsroom:
    users: dict
    own: dict  # role -> the article that role may edit
    drafts: dict  # role -> their unpublished article
    published: Article
    superuser: User
    peer_editor: User
    quote_version: Version  # a quote's version whose object_id is the writer's draft's id
    bulk: Revision  # a bulk action's revision, holding three articles
    links: dict  # role -> their share link
    public_link: ShareLink  # on the published article
    revoked_token: str
    secrets: dict = field(default_factory=dict)  # role -> strings it must never get
    known: dict = field(default_factory=dict)  # what the builders looked up, kept


def build_newsroom():
    writer, other, editor = (
        staff("wendy", WRITERS),
        staff("walter", WRITERS),
        staff("edna", EDITORS),
    )
    superuser = User.objects.create_superuser("boss", "boss@example.org", "a-long-password")
    drafts = {
        "writer": draft_by(writer, title="Wendy's hidden draft", slug="wendy-hidden"),
        "other writer": draft_by(other, title="Walter's hidden draft", slug="walter-hidden"),
    }
    published = draft_by(other, title="Walter's published story", standfirst="Standfirst.")
    authors = [(drafts["writer"], writer), (drafts["other writer"], other), (published, other)]
    for article, author in authors:
        article.authors.add(author)
        make_quote(article, make_person(), text=f"Words quoted in {article.slug}.")
        link_event(article, make_event(name=f"Summit of {article.slug}"))
        Correction.objects.create(article=article, text=f"A correction to {article.slug}.")
    services.publish(published, editor)
    services.submit_for_review(drafts["writer"], writer)
    services.submit_for_review(drafts["other writer"], other)
    # A quote of the published article whose id is the writer's draft's id.
    pk = drafts["writer"].pk
    taken = Quote.objects.filter(pk=pk).first()
    if taken is None:
        make_quote(published, make_person(), pk=pk, position=9, text="A quote sharing an id.")
    elif taken.article_id != published.pk:
        Quote.objects.filter(pk=pk).update(article=published, position=9, text="A shared id.")
        make_quote(taken.article, make_person(), text=f"Words quoted in {taken.article.slug}.")
    services.add_correction(published, "Saved with the quote in one revision.", editor)
    # Live coverage: every article of the walk, each with an update by its writer (by an
    # editor on the published one: no writer may change it).
    for article, author in authors:
        live_services.make_live(article, editor)
        live_services.post_update(
            article,
            editor if article == published else author,
            f"Live words posted in {article.slug}.",
            quotes=[(make_person(), "Envoy", f"Said live in {article.slug}.")],
        )
    quote_version = Version.objects.get_for_model(Quote).filter(object_id=str(pk)).first()
    # One revision for three articles, as the admin's bulk actions save them.
    client = Client()
    client.force_login(editor)
    client.post(
        "/admin/articles/article/",
        {
            "action": "add_tag_to_selected",
            "_selected_action": [drafts["writer"].pk, drafts["other writer"].pk, published.pk],
            "tag_name": "Walked",
        },
    )
    bulk = Version.objects.get_for_object(published).first().revision
    assert bulk.version_set.filter(content_type__model="article").count() == 3
    # A deleted article, for django-reversion's recover views.
    gone = make_article(title="Deleted story", tags=["Gone"])
    services.unpublish(gone, editor)
    gone.delete()
    links = {role: ShareLink.objects.create(article=a) for role, a in drafts.items()}
    public_link = ShareLink.objects.create(article=published)
    revoked = ShareLink.objects.create(article=drafts["other writer"])
    revoked_token = token_of(revoked)
    revoked.delete()
    # A picture of the library, the lead image of a writer's draft and of a published story.
    picture = make_picture(alt="Walked picture")
    for article in (drafts["other writer"], published):
        article.lead_image = picture
        article.save()
    # Both writers cover the writer's event; each brief is its writer's (and editors') alone.
    covered = drafts["writer"].event_links.first().event
    coverage = {
        role: Coverage.objects.create(
            event=covered, assignee=user, status="assigned", brief=f"{user.username}'s own brief"
        )
        for role, user in [("writer", writer), ("other writer", other)]
    }
    ApiToken.issue(superuser, "Boss's feed", created_by=superuser)
    ApiToken.issue(writer, "Wendy's feed", created_by=editor)
    # A row of everything else the admin lists.
    tag = Tag.objects.get(name="Walked")
    TagProfile.objects.create(tag=tag, description="Walked over.")
    SlugRedirect.objects.create(kind="tag", old_slug="old-walked", new_slug=tag.slug)
    # An embed a body shows: writers may look at it, only editors correct or refresh it.
    Embed.objects.create(url="https://youtu.be/dQw4w9WgXcQ", provider="youtube", title="Walked")
    MergeRecord.objects.create(
        kind="tag",
        survivor_name="Walked",
        survivor_slug=tag.slug,
        merged=[{"name": "walked", "slug": "walked-2"}],
        moved=1,
        merged_by=editor,
    )
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
        fields = {"username": "boss", "ip_address": "127.0.0.1", "user_agent": "walk"}
        model.objects.create(**fields, **(extra if model is AccessAttempt else {}))

    room = Newsroom(
        users={"writer": writer, "other writer": other, "editor": editor},
        own={"writer": drafts["writer"], "other writer": drafts["other writer"]},
        drafts=drafts,
        published=published,
        superuser=superuser,
        peer_editor=staff("ed2", EDITORS),
        quote_version=quote_version,
        bulk=bulk,
        links=links,
        public_link=public_link,
        revoked_token=revoked_token,
    )
    draft_secrets = {
        role: [
            article.title,
            *(q.text for q in article.quotes.all()),
            *(u.body for u in article.live_updates.all()),
            share_key(links[role]),
        ]
        for role, article in drafts.items()
    }
    # Autosaves are their writer's alone: no role ever sees another person's.
    unsaved = {
        "writer": autosave_of(writer, drafts["writer"], "Wendy's unsaved words"),
        "other writer": autosave_of(other, drafts["other writer"], "Walter's unsaved words"),
        "editor": autosave_of(editor, published, "Edna's unsaved words"),
    }
    unsaved["other writer"] += autosave_of(other, None, "Walter's unsaved new story")
    for role, piece in coverage.items():
        draft_secrets[role].append(piece.brief)
    room.known["coverage"] = coverage
    room.secrets = {
        "anonymous": [*draft_secrets["writer"], *draft_secrets["other writer"]],
        "writer": [*draft_secrets["other writer"], share_key(public_link)],
        "other writer": draft_secrets["writer"],
        "editor": [],
        "public": [*draft_secrets["writer"], *draft_secrets["other writer"]],
    }
    for role, secrets in room.secrets.items():
        secrets += [text for owner, texts in unsaved.items() if owner != role for text in texts]
    return room


def autosave_of(user, article, words):
    """An autosave of ``article`` (of a new one, for None) by ``user``: its texts."""
    draft_key = uuid.uuid4() if article is None else None
    Autosave.objects.create(
        user=user, article=article, draft_key=draft_key, body=words, title=f"{words} (title)"
    )
    return [words, f"{words} (title)"]


def token_of(link):
    return link.get_absolute_url().rstrip("/").rsplit("/", 1)[1]


def share_key(link):
    """What a share link's signed token names: a token carries it only in code, and is made
    afresh (with the time) each time, so responses are searched for tokens naming it."""
    return f"share-link:{link.key}"


SHARE_TOKEN = re.compile(r"/share/([^/\"'\s<>]+)/")


def share_keys_in(text):
    found = []
    for token in SHARE_TOKEN.findall(text):
        with contextlib.suppress(signing.BadSignature):
            found.append(f"share-link:{signing.loads(unquote(token), salt=SHARE_SALT)}")
    return found


# What each role must not reach, per model of the admin: (object, may it read it).


def remembered(function):
    """The builders ask the same questions for every URL of an admin: asked once each."""

    def ask(room, *args):
        key = (function.__name__, *args)
        if key not in room.known:
            room.known[key] = function(room, *args)
        return room.known[key]

    return ask


@remembered
def forbidden(room, role, model):
    """Rows of ``model`` that ``role`` must not change, each with whether it may read it."""
    if role == "anonymous":
        first = model._default_manager.order_by("pk").first()
        return [(first, False)] if first is not None else []
    writer = role in ("writer", "other writer")
    other_role = {"writer": "other writer", "other writer": "writer"}.get(role)
    rows = {
        Article: [(room.drafts[other_role], False), (room.published, True)] if writer else [],
        Correction: [
            (room.drafts[other_role].corrections.first(), False),
            (room.published.corrections.first(), True),
        ]
        if writer
        else [],
        User: [(room.superuser, not writer)],
        Group: [(Group.objects.first(), False)],
        ApiToken: [(ApiToken.objects.get(user=room.superuser), False)] if writer else [],
        Person: [(Person.objects.first(), True)] if writer else [],
        Event: [(Event.objects.first(), True)] if writer else [],
        Tag: [(Tag.objects.first(), True)] if writer else [],
        # Writers describe pictures and use them; only editors delete them.
        Picture: [(Picture.objects.first(), True)] if writer else [],
        MergeRecord: [(MergeRecord.objects.first(), not writer)],
        Embed: [(Embed.objects.first(), True)] if writer else [],
        SlugRedirect: [(SlugRedirect.objects.first(), False)] if writer else [],
        AccessAttempt: [(AccessAttempt.objects.first(), False)],
        AccessFailureLog: [(AccessFailureLog.objects.first(), False)],
        AccessLog: [(AccessLog.objects.filter(username="boss").first(), False)],
        # A writer's own piece is theirs to start, which writes: only the other's is walked.
        Coverage: [(room.known["coverage"][other_role], False)] if writer else [],
        LiveCoverage: [
            (LiveCoverage.objects.filter(article=room.drafts[other_role]).first(), False),
            (LiveCoverage.objects.filter(article=room.published).first(), True),
        ]
        if writer
        else [],
        LiveUpdate: [
            (LiveUpdate.objects.filter(article=room.drafts[other_role]).first(), False),
            (LiveUpdate.objects.filter(article=room.published).first(), True),
        ]
        if writer
        else [],
    }
    if model not in rows:
        raise AssertionError(f"The walk does not know what a {role} must not reach in {model}.")
    missing = [obj for obj, _ in rows[model] if obj is None]
    assert not missing, f"The walk's newsroom has no {model.__name__} for a {role}."
    return rows[model]


@remembered
def foreign_id(room, model):
    """An id that is some other model's row and none of ``model``'s."""
    taken = set(model._default_manager.values_list("pk", flat=True))
    for other in (Quote, ShareLink, ArticleEvent, Version, Person, Event, Tag, User):
        for pk in other._default_manager.values_list("pk", flat=True):
            if pk not in taken and isinstance(pk, int):
                return pk
    return max((pk for pk in taken if isinstance(pk, int)), default=0) + 1000


# Filling URL parameters. Each builder returns Fills for one role and one pattern.


@dataclass
class Fill:
    values: dict
    refuse_get: bool
    refuse_post: bool = True
    post: dict = field(default_factory=dict)
    methods: tuple = ("get", "post")
    query: dict = field(default_factory=dict)  # sent with the GET


def article_post(article, role):
    """A complete article form, so a missing check would let the save through: with a
    status the role may set, so that only the object-level rules can refuse it."""
    status = "published" if role in ("editor", "anonymous") else "in_review"
    data = form_data(article, title="Walked over", status=status)
    data.update({"post": "yes", "_save": "Save"})
    return data


def post_for(obj, role):
    if isinstance(obj, Article):
        return article_post(obj, role)
    return {"post": "yes", "name": "Walked over", "username": "walked", "text": "Walked over."}


def fill_object_id(room, role, pattern):
    model = pattern.model_admin.model
    fills = [Fill({"object_id": foreign_id(room, model)}, refuse_get=True)]
    for obj, readable in forbidden(room, role, model):
        fills.append(Fill({"object_id": obj.pk}, refuse_get=not readable, post=post_for(obj, role)))
    return fills


def fill_pk(room, role, pattern):
    """Preview and compare of an article."""
    return [
        Fill({"pk": foreign_id(room, Article)}, refuse_get=True),
        *(
            Fill({"pk": obj.pk}, refuse_get=not readable, post=post_for(obj, role))
            for obj, readable in forbidden(room, role, Article)
        ),
    ]


def fill_revision(room, role, pattern):
    """Restoring: versions of another object or model, and articles not the role's to change."""
    own = room.own.get(role, room.drafts["writer"])
    others = [a for a in (*room.drafts.values(), room.published) if a != own]
    fills = [
        (own, room.quote_version.pk),  # a quote's version carrying the draft's id
        (own, "99999999999999999999"),
        *((own, Version.objects.get_for_object(a).first().pk) for a in others),
        *((own, room.bulk.version_set.get(object_id=str(a.pk), content_type__model="article").pk)
          for a in others),
    ]  # fmt: skip
    for article, _readable in forbidden(room, role, Article):
        for version in Version.objects.get_for_object(article)[:2]:
            fills.append((article, version.pk))
    return [
        Fill({"object_id": a.pk, "version_id": v}, refuse_get=True, post=article_post(a, role))
        for a, v in fills
    ]


def fill_recover(room, role, pattern):
    """Recovering: only a deleted article's version, and only by an editor."""
    live = Version.objects.get_for_object(room.published).first()
    fills = [room.quote_version.pk, live.pk, "99999999999999999999"]  # none a deleted article
    if role != "editor":
        fills.append(Version.objects.get_deleted(Article).first().pk)
    return [
        Fill({"version_id": v}, refuse_get=True, post=article_post(room.published, role))
        for v in fills
    ]


def fill_view_on_site(room, role, pattern):
    """/r/<content type>/<id>/: drafts, share links, quotes, ids of other models."""

    def ct(model):
        return ContentType.objects.get_for_model(model).pk

    other_role = {"writer": "other writer", "other writer": "writer"}.get(role)
    targets = [(ct(Quote), room.quote_version.object_id), (99999, 1), (ct(Article), "abc")]
    targets += [("99999999999999999999", 1), (ct(Article), "99999999999999999999")]
    targets.append((ct(Article), foreign_id(room, Article)))
    if role == "anonymous":
        targets += [(ct(Article), room.drafts["writer"].pk), (ct(ShareLink), room.public_link.pk)]
    elif other_role:
        draft = room.drafts[other_role]
        targets += [
            (ct(Article), draft.pk),
            (ct(ShareLink), room.links[other_role].pk),
            (ct(Correction), draft.corrections.first().pk),
            (ct(Quote), draft.quotes.first().pk),
        ]
        if role == "writer":  # the published article is the other writer's
            targets.append((ct(ShareLink), room.public_link.pk))
    return [Fill({"content_type_id": c, "object_id": o}, refuse_get=True) for c, o in targets]


def fill_user_id(room, role, pattern):
    """A user's password form: nobody below a superuser may open the superuser's."""
    passwords = {"password1": "walked-over-1234", "password2": "walked-over-1234"}
    return [Fill({"id": room.superuser.pk}, refuse_get=True, post=passwords)]


def fill_app_label(room, role, pattern):
    return [
        Fill({"app_label": label}, refuse_get=role == "anonymous", refuse_post=role == "anonymous")
        for label in sorted({m._meta.app_label for m in admin.site._registry})
    ]


def fill_catch_all(room, role, pattern):
    draft = room.drafts["other writer"]
    return [Fill({"url": f"articles/article/{draft.pk}/change/more"}, refuse_get=True)]


def fill_api_article(room, role, pattern):
    return [
        *(Fill({"article_id": a.pk}, refuse_get=True) for a in room.drafts.values()),
        Fill({"article_id": room.drafts["writer"].slug}, refuse_get=True),
        Fill({"article_id": room.published.pk}, refuse_get=False),
    ]


def fill_public_article(room, role, pattern):
    def parts(article, day):
        return {"year": day.year, "month": day.month, "day": day.day, "slug": article.slug}

    today = room.published.publication_date
    return [
        *(Fill(parts(a, today), refuse_get=True) for a in room.drafts.values()),
        Fill(parts(room.published, today), refuse_get=False),
    ]


def fill_slug(room, role, pattern):
    """Tag, event and person pages of things only drafts use: shown, with no draft in them."""
    draft = room.drafts["writer"]
    slugs = [
        draft.quotes.first().speaker.slug,
        draft.event_links.first().event.slug,
        "no-such-slug",
    ]
    return [Fill({"slug": slug}, refuse_get=False) for slug in slugs]


def fill_tag_slugs(room, role, pattern):
    return [Fill({"slugs": "walked"}, refuse_get=False), Fill({"slugs": "walked+nope"}, False)]


def fill_share_token(room, role, pattern):
    """A share link: a forged one, a revoked one, one tampered with."""
    good = token_of(room.links["writer"])
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    return [Fill({"token": t}, refuse_get=True) for t in (forged, room.revoked_token, "x")]


def fill_sitemap_section(room, role, pattern):
    return [Fill({"section": s}, refuse_get=False) for s in ("articles", "tags", "nope")]


def fill_media_path(room, role, pattern):
    return [Fill({"path": "pictures/not-there.jpg"}, refuse_get=True)]


def fill_nothing(room, role, pattern):
    """A page without parameters: a list, a form, a feed. POSTs select forbidden rows."""
    closed = (
        role == "anonymous" and not pattern.is_public and pattern.name not in ADMIN_WITHOUT_LOGIN
    )
    fills = [Fill({}, refuse_get=closed, refuse_post=closed)]
    if pattern.name == "admin:autocomplete":
        # Every autocomplete of every form and inline, asked for everything.
        for source in admin.site._registry.values():
            for form in [source, *source.inlines]:
                opts = form.model._meta
                for name in form.autocomplete_fields:
                    query = {"app_label": opts.app_label, "model_name": opts.model_name}
                    query.update({"field_name": name, "term": ""})
                    fills.append(Fill({}, refuse_get=closed, query=query, methods=("get",)))
    model_admin = pattern.model_admin
    if model_admin is None or role == "anonymous":
        return fills
    model = model_admin.model
    if pattern.name.endswith("_changelist"):
        rows = [foreign_id(room, model), *(obj.pk for obj, _ in forbidden(room, role, model))]
        for action in ["delete_selected", *model_admin.actions]:
            data = {"action": action, "_selected_action": rows, "post": "yes", "index": "0"}
            data["tag_name"] = "Walked over"
            data["survivor"] = str(rows[-1])
            fills.append(Fill({}, refuse_get=False, post=data, methods=("post",)))
    if pattern.name == "admin:articles_article_autosave_new":
        # A new article's autosave: without its draft key, or past the limits, nothing is kept.
        for post in [{"draft": "not-a-key"}, {"draft": str(uuid.uuid4()), "body": "x" * 100_001}]:
            fills.append(Fill({}, refuse_get=True, post=post, methods=("get", "post")))
    if pattern.name == "admin:articles_article_preview_pane_new":
        # A new article's preview: past the limits, or naming what is not there, nothing shows.
        for post in [{"body": "x" * 100_001}, {"quotes": "{"}, {"tags": "abc"}]:
            fills.append(Fill({}, refuse_get=True, post=post, methods=("get", "post")))
    if pattern.name == "admin:articles_apitoken_add":
        # A token for someone the creator may not act for: its drafts would be theirs.
        not_below = [room.superuser, room.peer_editor]
        if role != "editor":  # writers make no tokens at all
            not_below += list(room.users.values())
        for user in not_below:
            post = {"name": "Walked over", "user": user.pk}
            fills.append(Fill({}, refuse_get=role != "editor", post=post, methods=("post",)))
    return fills


# Parameter names -> builder. A pattern whose parameters are not a key here fails.
FILLERS = {
    (): fill_nothing,
    ("object_id",): fill_object_id,
    ("pk",): fill_pk,
    ("object_id", "version_id"): fill_revision,
    ("version_id",): fill_recover,
    ("content_type_id", "object_id"): fill_view_on_site,
    ("id",): fill_user_id,
    ("app_label",): fill_app_label,
    ("url",): fill_catch_all,
    ("article_id",): fill_api_article,
    ("day", "month", "slug", "year"): fill_public_article,
    ("slug",): fill_slug,
    ("slugs",): fill_tag_slugs,
    ("token",): fill_share_token,
    ("section",): fill_sitemap_section,
    ("path",): fill_media_path,
}


# The resolver's patterns.


@dataclass
class Pattern:
    route: str  # the joined route, for messages
    name: str  # namespaced URL name, or the route for unnamed ones
    parts: list  # the pattern objects from the root down
    callback: object
    params: tuple
    model_admin: object = None

    @property
    def group(self):
        """The patterns compared as one around the database: one admin's, or one app's."""
        if self.model_admin is not None:
            return str(self.model_admin)
        return self.name.split(":")[0] if ":" in self.name else self.route.split("/")[0]

    @property
    def is_public(self):
        return not self.name.startswith("admin:")


def every_pattern():
    found = []

    def walk(patterns, parts, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                space = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, [*parts, pattern], space)
            elif isinstance(pattern, URLPattern):
                chain = [*parts, pattern]
                route = "".join(str(p.pattern) for p in chain)
                name = ":".join([*namespaces, pattern.name]) if pattern.name else route
                found.append(
                    Pattern(route, name, chain, pattern.callback, parameter_names(chain, name))
                )

    walk(get_resolver().url_patterns, [], [])
    for pattern in found:
        pattern.model_admin = model_admin_of(pattern.callback)
    return found


def parameter_names(chain, name):
    names = []
    for part in chain:
        regex = part.pattern.regex
        names += list(regex.groupindex)
        unnamed = regex.groups - len(regex.groupindex)
        if unnamed:
            kind = name.rsplit("_", 1)[-1]
            if kind not in POSITIONAL or len(POSITIONAL[kind]) != unnamed:
                raise AssertionError(f"The walk cannot name the unnamed parameters of {name}.")
            names += POSITIONAL[kind]
    return tuple(sorted(names))


def model_admin_of(callback):
    """The ModelAdmin behind an admin view: Django marks its own, others are bound methods."""
    seen = callback
    while seen is not None:
        if getattr(seen, "model_admin", None) is not None:
            return seen.model_admin
        owner = getattr(seen, "__self__", None)
        if isinstance(owner, admin.ModelAdmin):
            return owner
        seen = getattr(seen, "__wrapped__", None)
    return None


def url_for(pattern, values):
    """The URL ``pattern`` answers with ``values`` in its parameters."""
    import re

    url = "/"
    positional = iter(POSITIONAL.get(pattern.name.rsplit("_", 1)[-1], ()))
    for part in pattern.parts:
        text = str(part.pattern)
        if hasattr(part.pattern, "_route"):  # path(): <converter:name>
            text = re.sub(
                r"<(?:\w+:)?(\w+)>", lambda m: urlquote(str(values[m[1]]), safe="/+"), text
            )
        else:  # re_path(): groups, named or not
            text = text.lstrip("^").rstrip("$")
            text = re.sub(
                r"\((\?P<(\w+)>)?[^()]*\)",
                lambda m: urlquote(str(values[m[2] or next(positional)]), safe="/+"),
                text,
            )
            text = text.replace("\\", "")
        url += text
    return url


# Checking the database.

SNAPSHOT_MODELS = [
    Article, Quote, ArticleEvent, Correction, ShareLink, TaggedArticle, Tag, TagProfile,
    Person, Event, ApiToken, Group, SlugRedirect, MergeRecord, AccessAttempt,
    AccessFailureLog, AccessLog, Autosave, Picture, PictureUse, Coverage, EventPlanning,
    Embed, LiveCoverage, LiveUpdate,
]  # fmt: skip
# Rows never edited, only added or deleted: their ids say enough, and cost less to read.
SNAPSHOT_IDS = [LogEntry, Revision, Version]


def snapshot():
    rows = {
        m.__name__: list(m._default_manager.order_by("pk").values_list()) for m in SNAPSHOT_MODELS
    }
    # Logging out records the time in django-axes' log: the one write a visit may make.
    # and logging the walk back in adds a row: the rows of before the walk must stay.
    logged = [f.attname for f in AccessLog._meta.concrete_fields if f.name != "logout_time"]
    first = AccessLog.objects.filter(username="boss").order_by("pk")
    rows["AccessLog"] = list(first.values_list(*logged))
    for model in SNAPSHOT_IDS:
        rows[model.__name__] = list(model._default_manager.order_by("pk").values_list("pk"))
    rows["User"] = list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "password", "is_staff", "is_superuser", "is_active", "email"
        )
    )
    rows["User.groups"] = list(User.groups.through.objects.order_by("pk").values_list())
    rows["Article.authors"] = list(Article.authors.through.objects.order_by("pk").values_list())
    return rows


def changed_tables(before, after):
    return [name for name in before if before[name] != after[name]]


# The walk.


def problems_with(response, pattern, fill, method, role, secrets):
    found = []
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        found.append(f"answered {status}")
    body = b"" if getattr(response, "streaming", False) else response.content
    shown = share_keys_in(body.decode(errors="replace") + " " + location)
    for secret in secrets:
        if secret.encode() in body or secret in location or secret in shown:
            found.append(f"showed “{secret[:40]}”")
    must_refuse = fill.refuse_get if method == "get" else fill.refuse_post
    if must_refuse and status not in REFUSALS and not (method == "post" and status == 200):
        found.append(f"answered {status}, not a refusal")
    if (
        role == "anonymous"
        and not pattern.is_public
        and pattern.name not in ADMIN_WITHOUT_LOGIN
        and status in (301, 302)
        and "/login/" not in location
        and location.rstrip("/") not in ("/admin", "")
    ):
        found.append(f"sent an anonymous visitor to {location}")
    return found


def walk_as(role, room, patterns, deadline):
    """Every pattern as ``role``; the database is compared around each admin's URLs."""
    client = Client(raise_request_exception=False)
    user = room.users.get(role)
    if user is not None:
        client.force_login(user)
    failures, visited = [], set()
    for group, members in itertools.groupby(patterns, key=lambda p: p.group):
        before = snapshot()
        for pattern in members:
            failures += walk_pattern(client, role, room, pattern)
            visited.add(pattern.name)
            session = client.cookies.get(settings.SESSION_COOKIE_NAME)
            if user is not None and not (session and session.value):
                client.force_login(user)  # the walk logged itself out
        changed = changed_tables(before, snapshot())
        if changed:
            failures.append(f"{role} on the URLs of {group} changed {', '.join(changed)}")
        if time.monotonic() > deadline:
            failures.append(f"the walk took over {TIME_LIMIT} s, and stopped at {group}")
            break
    return failures, visited


def walk_pattern(client, role, room, pattern):
    builder = FILLERS.get(pattern.params)
    if builder is None:
        return [f"{pattern.name}: no way to fill {pattern.params}; add it to FILLERS"]
    failures = []
    secrets = room.secrets["public" if pattern.is_public else role]
    for fill in builder(room, role, pattern):
        url = url_for(pattern, fill.values)
        try:
            match = resolve(url)
        except Resolver404:
            match = None
        if match is None or match.func is not pattern.callback:
            failures.append(f"{pattern.name}: the walk's {url} is not this pattern's")
            continue
        for method in fill.methods:
            if method == "get":
                response = client.get(url, fill.query)
            else:
                response = client.post(url, fill.post)
            for problem in problems_with(response, pattern, fill, method, role, secrets):
                failures.append(f"{role} {method.upper()} {url} ({pattern.name}): {problem}")
    return failures


@pytest.fixture
def quiet_request_log():
    """Thousands of refusals are expected here: they need not be logged."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_refuses_what_each_role_must_not_reach(role, quiet_request_log):
    room = build_newsroom()
    patterns = every_pattern()
    failures, visited = walk_as(role, room, patterns, time.monotonic() + TIME_LIMIT)
    unvisited = {p.name for p in patterns} - visited
    failures += [f"{role}: the walk did not visit {name}" for name in sorted(unvisited)]
    assert not failures, "\n".join(failures)
