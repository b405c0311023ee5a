import contextlib
import uuid

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug, validate_unicode_slug
from django.db import transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from taggit.forms import TagField
from taggit.models import Tag

from articles import (
    diff,
    images,
    importer,
    limits,
    permissions,
    script_labels,
    search,
    services,
    vocabulary,
)
from articles.admin_site import is_value_of
from articles.blocks import body as body_blocks
from articles.cache import CappedCountPaginator
from articles.desk import drafts, presence
from articles.desk import preview as desk_preview
from articles.desk import views as desk_views
from articles.desk.models import Autosave
from articles.importer import forms as importer_forms
from articles.importer.forms import SourceForm
from articles.live import admin as live_admin
from articles.markdown import nesting_problem, prerender
from articles.media.admin import thumbnail_html
from articles.media.chooser import PictureChooser, limit_choices
from articles.media.library import add_picture
from articles.models import (
    ApiToken,
    Article,
    ArticleEvent,
    Correction,
    Event,
    MergeRecord,
    Person,
    Picture,
    Quote,
    ShareLink,
    SlugRedirect,
    TagProfile,
    unique_slug,
)
from articles.restore import OwnPartVersionAdmin
from articles.text import WORDS_PER_MINUTE
from articles.translations import admin as translations_admin


class ArticleChildInline:
    """Inlines of an article follow the article's own object-level rules."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and permissions.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.can_edit(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.can_edit(
            request.user, obj
        )


class PreloadedChoiceForm(forms.ModelForm):
    """
    An inline form whose autocomplete shows the chosen object from the row itself.

    Django's autocomplete widget looks up its selected object with one query per
    widget; the inline's queryset already selected it, so an article with twenty
    quotes opens in the same number of queries as one with a single quote.
    """

    preloaded_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.preloaded_field
        related_id = getattr(self.instance, f"{name}_id", None)
        if related_id is not None and name in self.fields:
            widget = self.fields[name].widget
            widget = getattr(widget, "widget", widget)  # inside the add/change wrapper
            widget.preloaded = {str(related_id): str(getattr(self.instance, name))}


class CheckedAutocompleteMixin:
    """
    Shows again only posted values that can be ids at all. Django's autocomplete widget
    looks the posted values up to redisplay a refused form, and a forged “abc” made that
    lookup raise ValueError (a server error) instead of the form's own “Select a valid
    choice” message.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = getattr(remote, "field_name", None)  # a many-to-many names none: the pk
        options = remote.model._meta
        target = options.get_field(to_field) if to_field else options.pk
        return super().optgroups(name, [v for v in value if is_value_of(target, v)], attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteAdmin:
    """An admin whose ``autocomplete_fields`` use the checked widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PreloadedAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        preloaded = getattr(self, "preloaded", {})
        selected = [str(v) for v in value if str(v) not in ("", "None")]
        if not selected or any(v not in preloaded for v in selected):
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(name, v, preloaded[v], True, index)
            for index, v in enumerate(selected)
        ]
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedAutocompleteMixin, CheckedAutocompleteSelect):
    pass


class PreloadedInline(ArticleChildInline):
    """An inline with one autocomplete foreign key, selected with its rows."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.form.preloaded_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.form.preloaded_field:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuoteForm(PreloadedChoiceForm):
    preloaded_field = "speaker"

    def __init__(self, *args, restored=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Restoring an autosave: the saved quote's text as it was in the form.
        if restored and self.instance.pk in restored and not self.is_bound:
            self.initial.update(restored[self.instance.pk])

    def clean_text(self):
        text = self.cleaned_data.get("text") or ""
        if problem := limits.too_long("quote", text, limits.MAX_QUOTE_CHARS):
            raise ValidationError(problem)
        return text


class QuoteFormSet(forms.BaseInlineFormSet):
    """An article's quotes: at most MAX_QUOTES_PER_ARTICLE, each saved with the article."""

    def clean(self):
        super().clean()
        # Counted from the rows saved, not from the forms posted: a form can leave out the
        # quotes it already has (and say it has none), and those stay.
        saved = self.instance.quotes.filter(update=None).count() if self.instance.pk else 0
        removed = sum(1 for form in self.initial_forms if self._should_delete_form(form))
        added = sum(
            1
            for form in self.extra_forms
            if form.has_changed() and not self._should_delete_form(form)
        )
        total = saved - removed + added
        if total > limits.MAX_QUOTES_PER_ARTICLE:
            raise ValidationError(
                gettext(
                    "An article may have at most %(limit)s quotes; this one would have %(count)s."
                )
                % {"limit": limits.MAX_QUOTES_PER_ARTICLE, "count": total}
            )


class ArticleEventForm(PreloadedChoiceForm):
    preloaded_field = "event"


class QuoteInline(
    translations_admin.TranslatedQuoteInlineMixin, PreloadedInline, admin.StackedInline
):
    model = Quote
    form = QuoteForm
    formset = QuoteFormSet
    max_num = limits.MAX_QUOTES_PER_ARTICLE
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "role", "position"), "text"]

    def get_extra(self, request, obj=None, **kwargs):
        restored = restored_quote_rows(request, obj)
        return len(restored[1]) if restored else self.extra

    def get_queryset(self, request):
        # Quotes said in live updates are edited with their update (articles.live).
        return super().get_queryset(request).filter(update=None)


class ArticleEventInline(PreloadedInline, admin.TabularInline):
    model = ArticleEvent
    form = ArticleEventForm
    extra = 0
    autocomplete_fields = ["event"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["text", "published_at"]


class ShareLinkInline(ArticleChildInline, admin.TabularInline):
    """Links for people outside the newsroom; delete one to revoke it."""

    model = ShareLink
    extra = 0
    fields = ["link", "note", "expires_at", "created_by"]
    readonly_fields = ["link", "created_by"]
    verbose_name = _("share link")
    verbose_name_plural = _("share links (read-only previews for people outside the newsroom)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and permissions.can_see_share_links(
            request.user, obj
        )

    @admin.display(description=_("Link"))
    def link(self, obj):
        if not obj.pk:
            return gettext("Save to create the link")
        state = " " + gettext("(expired)") if obj.is_expired else ""
        url = obj.get_absolute_url()
        return format_html('<a href="{}" target="_blank">{}</a>{}', url, url[:48] + "…", state)


class ArticleForm(forms.ModelForm):
    """
    The article form: tags picked from the existing vocabulary (with autocomplete) plus
    new ones typed in, the workflow buttons, the checks before publishing, and the
    refusal of a stale save.
    """

    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=CheckedAutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text=_("Pick existing tags first, so the same subject is never tagged twice."),
    )
    new_tags = TagField(
        required=False,
        label=_("New tags"),
        help_text=_("Only for a subject that has no tag yet; separate with commas."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lead_image = forms.ModelChoiceField(
        queryset=Picture.objects.all(),
        required=False,
        widget=PictureChooser,
        label=_("Lead image"),
        help_text=_("A picture from the library, or upload a new one below."),
    )
    lead_image_upload = forms.FileField(
        required=False,
        label=_("Or upload a new picture"),
        help_text=_(
            "JPEG, PNG, WebP or GIF, up to 25 MB; it joins the library. Location and "
            "camera data are removed."
        ),
    )
    lead_image_alt = forms.CharField(
        required=False,
        label=_("Alt text"),
        max_length=Picture._meta.get_field("alt").max_length,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Needed to publish. "
            "Kept with the picture: every article using it shows the same."
        ),
    )
    lead_image_caption = forms.CharField(
        required=False, label=_("Caption"), max_length=Picture._meta.get_field("caption").max_length
    )
    lead_image_credit = forms.CharField(
        required=False, label=_("Credit"), max_length=Picture._meta.get_field("credit").max_length
    )
    # Which picture the three texts above were shown for: texts shown for one picture are
    # never written onto another chosen in the same form.
    lead_image_texts_of = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by ArticleAdmin.get_form for the request at hand.
    current_user = None
    check_stale = True
    # Restoring a revision: the article as it was before the old version was written back.
    before_restore = None
    # Restoring an autosave: its text, and the edit number the form it came from was at.
    restored = None
    restored_base_version = None

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "body", "tags", "status", "published_at",
            "dateline", "authors", "lead_image",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            opened = self.before_restore or self.instance
            self.fields["base_version"].initial = opened.edit_version
        if "lead_image" in self.fields:
            self._show_lead_picture()
        if self.restored is not None and not self.is_bound:
            # Saving restored text over a save made since is refused as stale, showing it.
            self.initial.update(self.restored)
            self.fields["base_version"].initial = self.restored_base_version
        if "status" in self.fields and self.current_user is not None:
            allowed = permissions.allowed_statuses(self.current_user, self.instance)
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        # Checked here, before anything renders it: past these, the text would be slow
        # to render, or partly missing from the page.
        problem = limits.too_long("body", body, limits.MAX_BODY_CHARS) or nesting_problem(body)
        if problem:
            raise ValidationError(problem)
        # Its blocks: pull quotes of the quotes saved with it (see ArticleAdmin._create_formsets).
        posted = getattr(self.instance, "posted_quotes", None)
        positions = posted_quote_positions(posted) if posted is not None else None
        if problems := body_blocks.problems(body, self.instance, quote_positions=positions):
            raise ValidationError(problems)
        return body

    def clean_standfirst(self):
        standfirst = self.cleaned_data.get("standfirst") or ""
        if problem := limits.too_long("standfirst", standfirst, limits.MAX_STANDFIRST_CHARS):
            raise ValidationError(problem)
        return standfirst

    def clean_new_tags(self):
        names = self.cleaned_data.get("new_tags") or []
        if problem := limits.new_tags_problem(names, Tag._meta.get_field("name").max_length):
            raise ValidationError(problem)
        return names

    def _show_lead_picture(self):
        picture = Picture.objects.filter(pk=self.instance.lead_image_id).first()
        limit_choices(self.fields["lead_image"], picture)
        if picture is not None and not self.is_bound:
            self.initial.update(
                lead_image_alt=picture.alt,
                lead_image_caption=picture.caption,
                lead_image_credit=picture.credit,
                lead_image_texts_of=str(picture.pk),
            )

    def clean_lead_image_upload(self):
        value = self.cleaned_data.get("lead_image_upload")
        if value:
            if not self.current_user.has_perm("articles.add_picture"):
                raise ValidationError(gettext("You may not add pictures to the library."))
            # Decoded once here; save_model stores this very image and its renditions.
            self.lead_upload = images.open_picture(value)
        return value

    def _stage_lead_texts(self, cleaned):
        """The form's alt text, caption and credit, written onto the chosen picture (in
        memory; save_model saves it), or kept for the new upload."""
        texts = {
            "alt": " ".join((cleaned.get("lead_image_alt") or "").split()),
            "caption": " ".join((cleaned.get("lead_image_caption") or "").split()),
            "credit": " ".join((cleaned.get("lead_image_credit") or "").split()),
        }
        self.lead_texts = texts
        picture = cleaned.get("lead_image")
        if cleaned.get("lead_image_upload") or picture is None:
            return
        if cleaned.get("lead_image_texts_of") != str(picture.pk):
            return  # the texts shown were another picture's: the chosen one keeps its own
        changed = {name: value for name, value in texts.items() if getattr(picture, name) != value}
        if changed and not permissions.can_describe_picture(self.current_user, picture):
            message = gettext("You may not change the texts of pictures.")
            if self.current_user.has_perm("articles.change_picture"):
                message = gettext(
                    "A published article shows this picture: only an editor may change its "
                    "alt text, caption or credit."
                )
            self.add_error("lead_image_alt", message)
            return
        for name, value in changed.items():
            setattr(picture, name, value)
        self.lead_texts_changed = list(changed)

    def clean(self):
        cleaned = super().clean()
        picked = {tag.name.casefold() for tag in cleaned.get("tags") or []}
        typed = {name.casefold() for name in cleaned.get("new_tags") or []}
        if len(picked | typed) > limits.MAX_TAGS_PER_ARTICLE:
            self.add_error(
                "new_tags" if typed else "tags",
                gettext(
                    "An article may have at most %(limit)s tags; this one would have %(count)s."
                )
                % {"limit": limits.MAX_TAGS_PER_ARTICLE, "count": len(picked | typed)},
            )
        if "lead_image" in self.fields:
            self._stage_lead_texts(cleaned)
        workflow = self.data.get("_workflow")
        if workflow in WORKFLOW_STATUSES:
            cleaned["status"] = WORKFLOW_STATUSES[workflow]
        self._check_permission(cleaned)
        if cleaned.get("status") == Article.Status.PUBLISHED:
            self._check_publishable(cleaned)
        if self.instance.pk and self.check_stale:
            self._check_not_stale(cleaned)
        return cleaned

    def _check_permission(self, cleaned):
        user = self.current_user
        status = cleaned.get("status", self.instance.status)
        if status not in permissions.allowed_statuses(user, self.instance):
            raise ValidationError(gettext("Only editors can publish or schedule articles."))

    def _check_publishable(self, cleaned):
        tag_names = [tag.name for tag in cleaned.get("tags") or []] + list(
            cleaned.get("new_tags") or []
        )
        draft = Article(
            title=cleaned.get("title", ""),
            slug=cleaned.get("slug", ""),
            standfirst=cleaned.get("standfirst", ""),
            body=cleaned.get("body", ""),
            lead_image=self._lead_image_to_publish(cleaned),
        )
        for field, problem in draft.publication_problems(tag_names=tag_names).items():
            if field == "lead_image" and "lead_image_alt" in self.fields:
                self.add_error("lead_image_alt", problem)
            elif field in self.fields:
                self.add_error(field, problem)
            else:
                self.add_error(None, problem)

    def _lead_image_to_publish(self, cleaned):
        """The lead image as it will be saved: the new upload with its texts, the chosen
        picture (its texts staged), or the current one if the form has no such field."""
        if "lead_image" not in self.fields:
            return self.instance.lead_image
        if cleaned.get("lead_image_upload"):
            return Picture(alt=getattr(self, "lead_texts", {}).get("alt", ""))
        return cleaned.get("lead_image")

    def _check_not_stale(self, cleaned):
        # The row stays locked until the save commits: a save of the same version posted at
        # the same instant waits here, then sees this one's edit number and is refused.
        # No join: PostgreSQL would hand back the editor of the row as it was before the wait.
        current = self.before_restore or Article.objects.for_update().get(pk=self.instance.pk)
        base = cleaned.get("base_version")
        if base == current.edit_version:
            return
        # Let the next save through: the editor has now been shown what changed.
        data = self.data.copy()
        data["base_version"] = current.edit_version
        self.data = data
        raise ValidationError(stale_save_message(current, base))

    def _save_m2m(self):
        super()._save_m2m()
        if self.cleaned_data.get("new_tags"):
            self.instance.tags.add(*self.cleaned_data["new_tags"])


def posted_quote_positions(formset):
    """The positions of the quotes an article will have once ``formset`` is saved."""
    positions, shown = set(), set()
    formset.is_valid()  # each form read (its errors show with the quotes)
    for form in formset.forms:
        if form.instance.pk:
            shown.add(form.instance.pk)
        if (
            formset.can_delete
            and hasattr(form, "cleaned_data")
            and formset._should_delete_form(form)
        ):
            continue
        if form in formset.extra_forms and not form.has_changed():
            continue
        cleaned = getattr(form, "cleaned_data", {})
        value = cleaned["position"] if "position" in cleaned else form["position"].value()
        with contextlib.suppress(TypeError, ValueError):
            positions.add(int(value))
    if formset.instance.pk:
        saved = formset.instance.quotes.exclude(pk__in=shown)
        positions.update(saved.values_list("position", flat=True))
    return positions


WORKFLOW_STATUSES = {
    "submit": Article.Status.IN_REVIEW,
    "publish": Article.Status.PUBLISHED,
    "unpublish": Article.Status.DRAFT,
}


def stale_save_message(current, base_version):
    """Explains a refused stale save: who saved what since the form was opened."""
    editor = current.last_edited_by
    who = (editor.get_full_name() or editor.get_username()) if editor else gettext("Someone")
    when = timezone.localtime(current.updated_at).strftime("%H:%M on %-d %B")
    base = version_with_edit_number(current, base_version)
    if base is not None:
        changed = diff.changed_parts(
            diff.snapshot_of_version(base), diff.snapshot_of_article(current)
        )
        compare_url = reverse("admin:articles_article_compare", args=[current.pk])
        what = format_html(
            " "
            + gettext(
                'They changed: {changed}. <a href="{url}?from={version}&amp;to=current">'
                "See exactly what changed</a>."
            ),
            changed=", ".join(changed) or gettext("nothing you can see"),
            url=compare_url,
            version=base.pk,
        )
    else:
        what = ""
    return format_html(
        gettext(
            "{who} saved this article at {when} while you were editing, so your changes were "
            "not saved.{what} Your text is still in the form below: check it against theirs, "
            "then save again to keep your version."
        ),
        who=who,
        when=when,
        what=what,
    )


def version_with_edit_number(article, edit_version):
    for version in Version.objects.get_for_object(article).select_related("revision"):
        if version.field_dict.get("edit_version") == edit_version:
            return version
    return None


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Published and live")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "draft" | "in_review" as status:
                return queryset.filter(status=status)
            case "scheduled":
                return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
            case "live":
                return queryset.published(language=None)
        return queryset


class RecentlyUsedFilter(admin.RelatedFieldListFilter):
    """
    Tags or events to filter the article list by: those most used on the newest articles,
    and the one chosen. Listing all two thousand tags made the page slow and the list no
    use to anyone; any other is a search or an autocomplete away.
    """

    limit = 25
    newest = 300
    through = None  # the lookup from the tag or event to its articles

    def field_choices(self, field, request, model_admin):
        newest = Article.objects.order_by("-pk").values_list("pk", flat=True)[: self.newest]
        model = field.related_model
        most_used = (
            model.objects.filter(**{f"{self.through}__in": newest})
            .annotate(uses=Count(self.through.split("__")[0]))
            .order_by("-uses", "name")[: self.limit]
        )
        chosen = [value for value in self.lookup_val or () if str(value).isdigit()]
        objects = [*model.objects.filter(pk__in=chosen), *most_used]
        return [(obj.pk, str(obj)) for obj in dict.fromkeys(objects)]


class RecentTagFilter(RecentlyUsedFilter):
    through = "articles_taggedarticle_items__content_object"


class RecentEventFilter(RecentlyUsedFilter):
    through = "article_links__article"


class ArticleActionForm(admin.helpers.ActionForm):
    tag_name = forms.CharField(required=False, label=_("Tag"), max_length=100)


class AdminCountPaginator(CappedCountPaginator):
    """The article list counts to ten thousand at most: counting every match of a common
    word took a second at 100,000 articles, and no editor pages that far."""

    COUNT_LIMIT = 10_000


@admin.register(Article)
class ArticleAdmin(
    translations_admin.TranslationsAdminMixin, CheckedAutocompleteAdmin, OwnPartVersionAdmin
):
    form = ArticleForm
    action_form = ArticleActionForm
    list_display = [
        "thumbnail",
        "title",
        "status_label",
        "published_at",
        "author_names",
        "last_edited_by",
        "updated_at",
    ]
    list_filter = [
        StatusFilter,
        ("tags", RecentTagFilter),
        ("events", RecentEventFilter),
        "published_at",
    ]
    list_select_related = ["last_edited_by", "lead_image"]
    search_fields = ["title"]
    search_help_text = _("Beginnings of words in the headline, standfirst, body or quotes.")
    paginator = AdminCountPaginator
    prepopulated_fields = {"slug": ["title"]}
    # No date_hierarchy: listing its years scans the whole archive on every page load
    # (300 ms at 100,000 articles on SQLite); the date filter covers the need.
    autocomplete_fields = ["authors"]
    show_full_result_count = False  # one COUNT per page load, not two
    list_per_page = 50
    inlines = [QuoteInline, ArticleEventInline, CorrectionInline, ShareLinkInline]
    actions = ["publish_selected", "unpublish_selected", "add_tag_to_selected"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "standfirst", "body", "tags", "new_tags", "base_version"]},
        ),
        (_("Publication"), {"fields": ["status", "published_at", "dateline", "authors"]}),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    "lead_image_upload",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                    "lead_image_texts_of",
                ]
            },
        ),
    ]

    # What an editor sees in the list.

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return format_html(
                gettext("Scheduled for {}"),
                timezone.localtime(obj.published_at).strftime("%-d %b %Y %H:%M"),
            )
        return obj.get_status_display()

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return thumbnail_html(obj.lead_image) if obj.lead_image_id else ""

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(a.get_full_name() or a.get_username() for a in obj.authors.all())

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        return permissions.viewable(request.user, queryset)

    def get_search_results(self, request, queryset, search_term):
        """Words anywhere (headline, standfirst, body, quotes) through the search index:
        scanning every body for a substring took a second at 100,000 articles."""
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search_term), False

    # Object-level rules, all from articles.permissions.

    def has_view_permission(self, request, obj=None):
        return permissions.can_view(request.user, obj) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_delete(request.user, obj)

    def get_inlines(self, request, obj):
        inlines = list(self.inlines)
        if not permissions.can_publish(request.user):
            inlines.remove(CorrectionInline)
        return inlines

    @admin.display(description=_("old addresses"))
    def old_addresses(self, obj):
        """The addresses the article has left since readers could see it (ArticleAddress)."""
        here = (obj.publication_date, obj.slug)
        urls = [
            address.get_absolute_url()
            for address in obj.old_addresses.all()
            if (address.publication_date, address.slug) != here
        ]
        if not urls:
            return gettext("None: readers have known it by no other address.")
        return format_html(
            '<ul class="old-addresses">{}</ul><p class="help">{}</p>',
            format_html_join("", "<li>{}</li>", ((url,) for url in urls)),
            gettext("Each redirects to the current address while the article is published."),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # Under the slug: where the address readers knew the article by went.
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("slug") + 1, "old_addresses")
        return [(name, {**options, "fields": fields}), *rest]

    def get_readonly_fields(self, request, obj=None):
        if permissions.can_publish(request.user):
            return ["old_addresses"]
        return ["old_addresses", "published_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        restoring = getattr(request, "reverting_revision", False)
        before_restore = getattr(request, "article_before_restore", None)
        autosave = restoring_autosave(request, obj)
        attributes = {
            "restored": drafts.restored_fields(autosave, obj) if autosave else None,
            "restored_base_version": autosave.base_version if autosave else None,
            "current_user": request.user,
            # A deleted article being recovered has no save since that it could undo.
            "check_stale": not restoring or before_restore is not None,
            "before_restore": before_restore,
        }
        return type(form.__name__, (form,), attributes)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_publish"] = permissions.can_publish(request.user)
        context["desk"] = self.desk_context(request, obj)
        context["live_desk"] = live_admin.desk_context(request, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        restored = restored_quote_rows(request, obj)
        if restored and isinstance(inline, QuoteInline):
            changes, new = restored
            kwargs.update(form_kwargs={"restored": changes}, initial=new)
        return kwargs

    # The writing desk: autosaves, who else has the article open, the preview pane and the
    # before-publish checklist (articles/desk).

    def desk_context(self, request, obj):
        """What the form's script and notices need; None where the user may not write."""
        if not may_write(request, obj):
            return None
        restored = restoring_autosave(request, obj)
        offered = drafts.offered(request.user, obj)
        desk = {
            "autosave_seconds": settings.DESK_AUTOSAVE_SECONDS,
            "heartbeat_seconds": settings.DESK_HEARTBEAT_SECONDS,
            "restored": restored,
            # Offered on opening the form, not again when a save was refused.
            "offer": drafts.offer(offered, obj) if offered and request.method == "GET" else None,
        }
        if restored:
            desk["offer"] = None
            desk["saved_since"] = obj is not None and restored.base_version != obj.edit_version
        if obj is None:
            desk["draft_key"] = restored.draft_key if restored else posted_draft_key(request)
            desk["autosave_url"] = reverse("admin:articles_article_autosave_new")
            desk["preview_url"] = reverse("admin:articles_article_preview_pane_new")
        else:
            desk["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
            desk["presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
            desk["preview_url"] = reverse("admin:articles_article_preview_pane", args=[obj.pk])
            desk["others"] = presence.beat(obj.pk, request.user)
        # The slug follows the headline until the article is first published.
        desk["slug_follows"] = obj is None or obj.published_at is None
        desk["words_per_minute"] = WORDS_PER_MINUTE
        desk["labels"] = script_labels.as_json(script_labels.ARTICLE_FORM)
        # The Insert toolbar's Picture and Gallery search the library, for those who may.
        if request.user.has_perm("articles.view_picture"):
            desk["picture_chooser_url"] = reverse("admin:articles_picture_choose")
        # As saved: the script checks the form's own values as soon as it starts.
        desk["checklist"] = desk_preview.checklist_html(request, desk_preview.article_values(obj))
        return desk

    def autosave_view(self, request, pk=None):
        """POST the form's text as the user's autosave (JSON): see articles.desk.views."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if pk is not None:
            article = Article.objects.filter(pk=pk).first()
            if article is None:
                return desk_views.refusal(gettext("There is no such article."), 404)
        if not may_write(request, article):
            return desk_views.refusal(gettext("You may not edit this article."), 403)
        return desk_views.autosave(request, article)

    def preview_pane_view(self, request, pk=None):
        """POST the form's values: the story as readers will see it, and the checklist."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if pk is not None:
            article = desk_preview.saved_article(pk)
            if article is None:
                return desk_views.refusal(gettext("There is no such article."), 404)
        if not may_write(request, article):
            return desk_views.refusal(gettext("You may not edit this article."), 403)
        return desk_views.preview(request, article)

    def presence_view(self, request, pk):
        """POST: the heartbeat of an open form; answers who else has the article open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.objects.filter(pk=pk).first()
        if article is None:
            return desk_views.refusal(gettext("There is no such article."), 404)
        if not may_write(request, article):
            return desk_views.refusal(gettext("You may not edit this article."), 403)
        return desk_views.heartbeat(request, article)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        self.save_lead_picture(request, obj, form)
        super().save_model(request, obj, form, change)
        for url, problem in getattr(obj, "embed_problems", {}).items():
            self.message_user(
                request,
                gettext(
                    "The embed of %(url)s is saved with its address only: %(problem)s "
                    "Refresh it from the provider later (Embeds, “Ask the providers again”)."
                )
                % {"url": url, "problem": problem},
                messages.WARNING,
            )
        # Saved: the autosave of this form has served. One refused as stale never gets here.
        draft = Q(draft_key=posted_draft_key(request)) if not change else Q(pk__in=[])
        Autosave.objects.filter(Q(article=obj) | draft, user=request.user).delete()

    def save_lead_picture(self, request, obj, form):
        """A new upload joins the library as the lead image; new texts of the chosen
        picture are saved with it. Pictures left behind stay in the library."""
        upload = getattr(form, "lead_upload", None)
        if upload is not None and form.cleaned_data.get("lead_image_upload"):
            picture = add_picture(upload, uploaded_by=request.user, **form.lead_texts)
            request.new_picture_files = picture.files()
            obj.lead_image = picture
        elif obj.lead_image_id and getattr(form, "lead_texts_changed", None):
            obj.lead_image.save(update_fields=form.lead_texts_changed)
        elif obj.lead_image_id and not Picture.objects.filter(pk=obj.lead_image_id).exists():
            # A restored revision whose picture was deleted from the library since.
            obj.lead_image = None
            self.message_user(
                request,
                gettext(
                    "The picture of that version has been deleted from the library; choose another."
                ),
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.authors.exists():
            form.instance.authors.add(request.user)
        for formset in formsets:
            if formset.model is ShareLink:
                for link in formset.new_objects:
                    link.created_by = request.user
                    link.save(update_fields=["created_by"])

    def create_revision(self, request):
        if request.method == "POST":
            # Rendered before the save's transaction (this revision's), which on SQLite
            # holds the write lock from its start: the form's checks and the save then
            # reuse the result, and other editors do not wait for the rendering.
            prerender(request.POST.get("body", ""))
            # The providers of new embeds too: the network is never waited on in a save.
            body_blocks.ask_ahead(request.POST.get("body", ""))
        return super().create_revision(request)

    def _create_formsets(self, request, obj, change):
        formsets, inlines = super()._create_formsets(request, obj, change)
        # The admin builds the inlines before it checks the form, and hands them the
        # form's own article: the one way for the body's check to see the quotes posted
        # with it, whose positions its pull quotes name.
        for formset in formsets:
            if formset.model is Quote and formset.is_bound:
                obj.posted_quotes = formset
        return formsets, inlines

    def changeform_view(self, request, *args, **kwargs):
        # The save is one transaction; the picture files it wrote are not part of it, so
        # a save that fails half-way removes them itself.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except BaseException:
            images.delete_pictures(getattr(request, "new_picture_files", []))
            raise

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Who may restore which version is checked by OwnPartVersionAdmin.revision_view.
        # Restoring writes the old edit number back: the form checks staleness against the
        # article as it was before (article_before_restore), not against that number.
        request.reverting_revision = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        """
        Restoring a revision first writes the old version back, then runs the change form
        on it. Whether the restore is stale is a question about the article before that:
        it is read, its row locked, before the old version is written.
        """
        with transaction.atomic(using=version.db):
            articles = Article.objects.using(version.db).filter(pk=version.object_id)
            request.article_before_restore = articles.for_update().first()
            return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def recover_view(self, request, version_id, extra_context=None):
        if not permissions.can_publish(request.user):
            raise PermissionDenied  # deleted drafts of other writers stay out of sight
        request.reverting_revision = True
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not permissions.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    # Bulk actions: each goes through the services, so roles are checked per article.

    def _bulk(self, request, queryset, action, done):
        succeeded, failures = 0, []
        for article in queryset:
            try:
                action(article)
            except PermissionDenied as error:
                failures.append(f"{article}: {error}")
            except ValidationError as error:
                failures.append(f"{article}: {' '.join(error.messages)}")
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded) % {"count": succeeded}, messages.SUCCESS)
        if failures:
            self.message_user(
                request,
                format_html(
                    gettext("Not changed: {}"),
                    format_html_join("", "<br>{}", ((f,) for f in failures)),
                ),
                messages.ERROR,
            )

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda a: services.publish(a, request.user),
            lambda n: ngettext(
                "%(count)s article(s) published.", "%(count)s article(s) published.", n
            ),
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda a: services.unpublish(a, request.user),
            lambda n: ngettext(
                "%(count)s article(s) unpublished.", "%(count)s article(s) unpublished.", n
            ),
        )

    @admin.action(description=_("Add the tag below to selected articles"))
    def add_tag_to_selected(self, request, queryset):
        tag_name = request.POST.get("tag_name", "").strip()
        if not tag_name:
            self.message_user(
                request, gettext("Type the tag to add in the Tag box."), messages.ERROR
            )
            return
        self._bulk(
            request,
            queryset,
            lambda a: services.add_tag(a, tag_name, request.user),
            lambda n: ngettext("%(count)s article(s) tagged.", "%(count)s article(s) tagged.", n),
        )

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    # Preview and comparison of revisions.

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/autosave/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "add/autosave/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave_new",
            ),
            path(
                "<int:pk>/preview-pane/",
                self.admin_site.admin_view(self.preview_pane_view),
                name="articles_article_preview_pane",
            ),
            path(
                "add/preview-pane/",
                self.admin_site.admin_view(self.preview_pane_view),
                name="articles_article_preview_pane_new",
            ),
            path(
                "<int:pk>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """“Import from text”: paste or upload, review what was found, then save."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        can_publish = permissions.can_publish(request.user)
        source, review = SourceForm(), None
        if request.method == "POST" and request.POST.get("_step") == "analyse":
            source = SourceForm(request.POST, request.FILES)
            if source.is_valid():
                try:
                    proposal = importer.analyse(
                        source.cleaned_data["source"], source.cleaned_data["published_on"]
                    )
                except importer.ImportProblem as problem:  # past a limit: said on the form
                    source.add_error(None, str(problem))
                else:
                    review = importer_forms.Review(proposal=proposal)
        elif request.method == "POST" and request.POST.get("_step") == "save":
            review = importer_forms.Review(request.POST)
            if review.is_valid():
                publish = can_publish and review.article.cleaned_data["publish"]
                try:
                    article = importer.save_proposal(review.proposal(), request.user, publish)
                except importer.ImportProblem as problem:
                    review.article.add_error(None, str(problem))
                else:
                    if publish:
                        message = gettext("Imported “%(article)s” and published.")
                    else:
                        message = gettext("Imported “%(article)s” and saved as a draft.")
                    self.message_user(request, message % {"article": article})
                    return redirect("admin:articles_article_change", article.pk)
        if review is not None and not can_publish:
            review.article.fields.pop("publish")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import from text"),
            "source": source,
            "review": review,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def preview_view(self, request, pk):
        """The article exactly as readers will see it, whatever its status."""
        from articles.views import render_article

        article = get_object_or_404(Article.objects.with_public_relations(), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return render_article(request, article, preview=gettext("Staff preview"))

    def compare_view(self, request, pk):
        """Two revisions side by side, or one revision against the article as it is now."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        choices = list(versions)

        def snapshot(key):
            if key in (None, "", "current"):
                return diff.snapshot_of_article(article), gettext("the article as it is now")
            version = get_object_or_404(versions, pk=key)
            saved = timezone.localtime(version.revision.date_created).strftime("%-d %b %Y %H:%M")
            label = gettext("the revision of %(saved)s") % {"saved": saved}
            return diff.snapshot_of_version(version), label

        try:
            old, old_label = snapshot(
                request.GET.get("from") or (choices[1].pk if len(choices) > 1 else "current")
            )
            new, new_label = snapshot(request.GET.get("to", "current"))
        except ValueError as error:
            raise Http404(gettext("No such revision.")) from error
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": gettext("Compare versions of “%(article)s”") % {"article": article},
            "rows": diff.compare(old, new),
            "old_label": old_label,
            "new_label": new_label,
            "versions": choices,
            "selected_from": request.GET.get("from", ""),
            "selected_to": request.GET.get("to", "current"),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))  # None for “abc”, not an error
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
        compare_url = reverse("admin:articles_article_compare", args=[article.pk])
        rows = [
            {
                "version": version,
                "with_current": f"{compare_url}?from={version.pk}&to=current",
                "with_previous": (
                    f"{compare_url}?from={versions[index + 1].pk}&to={version.pk}"
                    if index + 1 < len(versions)
                    else None
                ),
            }
            for index, version in enumerate(versions)
        ]
        return super().history_view(
            request, object_id, {"compare_rows": rows, **(extra_context or {})}
        )


def may_write(request, article):
    """Whether the user may write in the form of ``article`` (of a new one, for None)."""
    if article is None:
        return request.user.has_perm("articles.add_article")
    return permissions.can_edit(request.user, article)


def restoring_autosave(request, obj):
    """The user's autosave this GET of the form restores (``?restore=``), asked once."""
    if not hasattr(request, "desk_restoring"):
        allowed = may_write(request, obj)
        request.desk_restoring = drafts.restoring(request, obj) if allowed else None
    return request.desk_restoring


def restored_quote_rows(request, obj):
    """The restored autosave's quotes as (changes to saved quotes, new rows), or None."""
    if not hasattr(request, "desk_quotes"):
        autosave = restoring_autosave(request, obj)
        request.desk_quotes = None
        if autosave:
            saved_ids = set(obj.quotes.values_list("pk", flat=True)) if obj else set()
            request.desk_quotes = drafts.restored_quotes(autosave, saved_ids)
    return request.desk_quotes


def posted_draft_key(request):
    """The draft key an add form posted back, or a new one for a form being opened."""
    try:
        return uuid.UUID(request.POST.get("_desk_draft", ""))
    except ValueError:
        return uuid.uuid4()


def checked_description(form):
    """A description within its limit: it is rendered as Markdown on every page view."""
    text = form.cleaned_data.get("description") or ""
    problem = limits.too_long("description", text, limits.MAX_DESCRIPTION_CHARS)
    if problem := problem or nesting_problem(text):
        raise ValidationError(problem)
    return text


class DescriptionForm(forms.ModelForm):
    clean_description = checked_description


class NearDuplicateWarningForm(DescriptionForm):
    """Asks before saving a name close to an existing one (“Kaja Kalas” vs “Kaja Kallas”)."""

    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("Not a duplicate"),
        help_text=_("Tick to save a name close to an existing one on purpose."),
    )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and "name" in self.changed_data and not cleaned.get("not_a_duplicate"):
            others = self._meta.model.objects.exclude(pk=self.instance.pk)
            close = vocabulary.similar_existing(others, name)
            if close:
                self.add_error(
                    "name",
                    gettext(
                        "“%(existing)s” already exists. Use it instead, or if “%(name)s” is "
                        "really someone or something else, tick “Not a duplicate” and save again."
                    )
                    % {"existing": close[0], "name": name},
                )
        return cleaned


class VocabularyAdmin(admin.ModelAdmin):
    """Shared by tags, people and events: ranked autocomplete, renames, merging."""

    usage = None  # the relation counted as “uses”
    form = NearDuplicateWarningForm
    actions = ["merge_selected"]
    change_list_template = "admin/articles/vocabulary_change_list.html"

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            # Exact, then prefix matches, then the most used: the established entry first.
            term = search_term.strip()
            queryset = queryset.annotate(
                usage=Count(self.usage, distinct=True),
                rank=Case(
                    When(name__iexact=term, then=Value(0)),
                    When(name__istartswith=term, then=Value(1)),
                    default=Value(2),
                ),
            ).order_by("rank", "-usage", "name")
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data and "slug" not in form.changed_data:
            obj.slug = unique_slug(obj, obj.name)  # the old address then redirects here
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Merge selected into one"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        items = list(queryset.annotate(uses=Count(self.usage, distinct=True)).order_by("-uses"))
        if len(items) < 2:
            self.message_user(request, gettext("Select at least two to merge."), messages.WARNING)
            return None
        chosen = request.POST.get("survivor")
        if chosen:
            survivor = next((item for item in items if str(item.pk) == chosen), None)
            if survivor is None:
                self.message_user(request, gettext("Choose which one to keep."), messages.ERROR)
                return None
            record = vocabulary.merge(survivor, items, request.user)
            self.message_user(
                request,
                gettext(
                    "Merged %(merged)s into “%(survivor)s”: %(moved)s moved, "
                    "%(dropped)s duplicates dropped. Old addresses redirect."
                )
                % {
                    "merged": len(record.merged),
                    "survivor": survivor,
                    "moved": record.moved,
                    "dropped": record.dropped_duplicates,
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Merge %(things)s") % {"things": self.opts.verbose_name_plural},
            "items": items,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge.html", context)


class TagProfileInline(translations_admin.TranslatedFieldsAdmin, admin.StackedInline):
    model = TagProfile
    translated_fields = ["name", "description"]
    form = DescriptionForm
    can_delete = False
    verbose_name_plural = _("about this tag")


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(VocabularyAdmin):
    usage = "articles_taggedarticle_items"
    list_display = ["name", "slug", "is_topic", "article_count"]
    list_filter = ["profile__is_topic"]
    search_fields = ["name"]
    inlines = [TagProfileInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("profile")
            .annotate(article_count=Count(self.usage))
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description=_("topic"), boolean=True)
    def is_topic(self, obj):
        return hasattr(obj, "profile") and obj.profile.is_topic


@admin.register(Person)
class PersonAdmin(translations_admin.TranslatedFieldsAdmin, VocabularyAdmin):
    translated_fields = ["role", "description"]
    usage = "quotes"
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(translations_admin.TranslatedFieldsAdmin, VocabularyAdmin):
    translated_fields = ["name", "description", "location"]
    usage = "article_links"
    list_display = ["name", "starts_on", "ends_on", "location", "status"]
    list_filter = ["status", "starts_on"]
    list_editable = ["status"]
    search_fields = ["name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """The record of merges: read-only, for seeing afterwards who merged what."""

    list_display = ["__str__", "kind", "moved", "dropped_duplicates", "merged_by", "merged_at"]
    list_filter = ["kind"]
    list_select_related = ["merged_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SlugRedirectForm(forms.ModelForm):
    """
    An old address that must work: slugs its public address can hold, pointing at a tag,
    person or event that exists, in one hop (never at another old address, never round).
    """

    class Meta:
        model = SlugRedirect
        fields = ["kind", "old_slug", "new_slug"]

    def clean(self):
        cleaned = super().clean()
        kind, old, new = (cleaned.get(name) for name in ("kind", "old_slug", "new_slug"))
        if not kind:
            return cleaned
        model = {kind: model for model, kind in vocabulary.KINDS.items()}[kind]
        noun = model._meta.verbose_name
        # Tags' addresses take letters of any alphabet (“zürich”); people's and events', ASCII.
        slug_syntax = validate_unicode_slug if kind == SlugRedirect.Kind.TAG else validate_slug
        for name, slug in (("old_slug", old), ("new_slug", new)):
            if slug is None:
                continue
            try:
                slug_syntax(slug)
            except ValidationError as error:
                self.add_error(name, error)
        if old is None or new is None or self.errors:
            return cleaned
        if old == new:
            self.add_error("new_slug", gettext("A redirect must lead to another address."))
        elif model.objects.filter(slug=old).exists():
            self.add_error(
                "old_slug",
                gettext("This is the address of a %(noun)s in use: it cannot redirect.")
                % {"noun": noun},
            )
        elif not model.objects.filter(slug=new).exists():
            final = vocabulary.redirected_slug(kind, new)
            if final:
                message = gettext(
                    "There is no %(noun)s “%(slug)s”; it is an old address of “%(final)s”: "
                    "redirect to that."
                )
            else:
                message = gettext("There is no %(noun)s “%(slug)s”.")
            self.add_error("new_slug", message % {"noun": noun, "slug": new, "final": final})
        return cleaned


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    form = SlugRedirectForm
    list_display = ["kind", "old_slug", "new_slug", "created_at"]
    list_filter = ["kind"]
    search_fields = ["old_slug", "new_slug"]


@admin.register(Correction)
class CorrectionAdmin(CheckedAutocompleteAdmin, admin.ModelAdmin):
    list_display = ["article", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"

    def get_queryset(self, request):
        # A correction shows its article: only those of articles this user may open.
        viewable = permissions.viewable(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=viewable.values("pk"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A correction is a change readers must see in the article's modified time.
        Article.objects.filter(pk=obj.article_id).update(
            updated_at=timezone.now(), edit_version=F("edit_version") + 1
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """
    Tokens for the ingest API. Editors create them, for themselves or for a writer; the
    secret is shown once, on creation, and only its hash is kept. Revoking keeps the row.
    """

    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "key_prefix"]
    fields = ["name", "user", "key_prefix", "created_by", "created_at", "last_used_at",
              "revoked_at"]  # fmt: skip
    readonly_fields = ["key_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, token):
        if token.revoked_at:
            return gettext("revoked %(date)s") % {"date": f"{token.revoked_at:%-d %b %Y}"}
        return gettext("active")

    def get_readonly_fields(self, request, obj=None):
        # A token's owner never changes: a new owner gets a new token.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "user" in form.base_fields:
            # Only people the creator may act for: a token sends drafts in its user's name.
            staff = form.base_fields["user"].queryset.filter(is_active=True, is_staff=True)
            allowed = [user.pk for user in staff if permissions.may_act_for(request.user, user)]
            form.base_fields["user"].queryset = staff.filter(pk__in=allowed)
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        secret = obj.set_secret()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            format_html(
                gettext(
                    "The token for {} is <code>{}</code>. Copy it now: it will not be shown again."
                ),
                obj.user,
                secret,
            ),
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so it stays clear who sent what with it

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("Revoked %(count)s token.", "Revoked %(count)s tokens.", count)
            % {"count": count},
        )


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    """
    Staff accounts. Writers may look people up to pick co-authors (the autocomplete asks
    for ``view_user``), but only those who manage accounts open the list and the account
    pages, with their e-mail addresses, groups and permissions; anyone may open their own.
    """

    inlines = [translations_admin.TranslatorLanguagesInline]

    def manages_accounts(self, request):
        return permissions.manages_accounts(request.user)

    def has_module_permission(self, request):
        return self.manages_accounts(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        if self.manages_accounts(request) or (obj is not None and obj.pk == request.user.pk):
            return True
        match = request.resolver_match
        return obj is None and match is not None and match.url_name == "autocomplete"

    def get_search_fields(self, request):
        if self.manages_accounts(request):
            return super().get_search_fields(request)
        # Picking a co-author by name must not confirm guesses of e-mail addresses.
        return ["username", "first_name", "last_name"]


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' record of failed logins, with its clean-up action mended."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes 8.3 reads the request's time from an attribute it sets only on
        # login requests, so the action crashed with AttributeError everywhere else.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


from articles.embeds import admin as embeds_admin  # noqa: E402, F401 - registers the embeds' admin
from articles.planning import admin as planning_admin  # noqa: E402, F401 - coverage
