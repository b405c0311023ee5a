"""
The admin's side of translations: the article's language field and translation group,
the actions that make a translation and mark one up to date, the article list's language
column and filters, translated quotes, the vocabulary's fields per language, and the
languages a member of staff may write in.

Nothing here shows on a site of one language: its forms and lists stay as they were.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import languages, limits, permissions
from articles.markdown import nesting_problem
from articles.models import Article
from articles.translations import rules, services
from articles.translations.models import TranslatorLanguages


def language_choices(codes):
    return [(code, languages.name(code)) for code in codes]


def status_label(article):
    """Draft, in review, published or scheduled, as an editor reads it."""
    if article.is_scheduled:
        return gettext("Scheduled for %(time)s") % {
            "time": timezone.localtime(article.published_at).strftime("%-d %b %Y %H:%M")
        }
    return article.get_status_display()


# The article form's language.


class LanguageFormMixin:
    """The article's language, among those the user may write in (articles.translations.rules)."""

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("language")
        if not language or "language" not in self.fields:
            return cleaned
        if self.current_user is not None and not rules.may_write_in(self.current_user, language):
            self.add_error(
                "language", gettext("You may not write articles in %s.") % languages.name(language)
            )
            return cleaned
        original = self.instance.translation_of
        if original is not None:
            taken = original.translations.exclude(pk=self.instance.pk).filter(language=language)
            if taken.exists():
                self.add_error(
                    "language", gettext("The original already has a translation in that language.")
                )
        elif self.instance.pk and self.instance.translations.filter(language=language).exists():
            self.add_error(
                "language", gettext("This article already has a translation in that language.")
            )
        return cleaned


# The article admin: mixed into ArticleAdmin.


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return language_choices(languages.codes())

    def queryset(self, request, queryset):
        if self.value() in languages.codes():
            return queryset.filter(language=self.value())
        return queryset


class OutOfDateFilter(admin.SimpleListFilter):
    """Translations whose original's words changed since they were brought up to date."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("out_of_date", _("Out of date")), ("up_to_date", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() not in ("out_of_date", "up_to_date"):
            return queryset
        translations = queryset.filter(translation_of__isnull=False).alias(
            **{
                f"source_{name}": KT(f"translation_source__{name}")
                for name in services.SOURCE_FIELDS
            }
        )
        up_to_date = Q(
            **{f"source_{name}": F(f"translation_of__{name}") for name in services.SOURCE_FIELDS}
        )
        if self.value() == "up_to_date":
            return translations.filter(up_to_date)
        # No record of the original as translated counts as out of date, as on its page.
        return translations.filter(Q(translation_source__isnull=True) | ~up_to_date)


class TranslationsAdminMixin:
    """What ArticleAdmin does for the article's language and its translation group."""

    @admin.display(description=_("language"), ordering="language")
    def language_label(self, obj):
        return languages.name(obj.language)

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if languages.is_multilingual():
            shown.insert(shown.index("title") + 1, "language_label")
        return shown

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if languages.is_multilingual():
            filters[1:1] = [LanguageFilter, OutOfDateFilter]
        return filters

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not languages.is_multilingual():
            return fieldsets  # the form as it always was
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("slug") + 1, "language")
        return [(name, {**options, "fields": fields}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "language" not in form.base_fields:
            return form
        allowed = rules.allowed_languages(request.user)
        shown = list(allowed)
        if obj is not None and obj.language not in shown:
            # Its own language stays shown and chosen: else the form would move the article
            # into the first language the user may write in, unasked, on any save. The
            # form's clean() says why it cannot be saved in it.
            shown.append(obj.language)
        field = forms.ChoiceField(
            choices=language_choices(shown),
            label=capfirst(Article._meta.get_field("language").verbose_name),
            help_text=Article._meta.get_field("language").help_text,
            initial=allowed[0] if allowed else None,
        )
        # Declared, so the admin's own subclass of this form keeps it.
        attributes = {"language": field, "current_user": request.user}
        return type(form.__name__, (LanguageFormMixin, form), attributes)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and languages.is_multilingual():
            context["translation_group"] = self.translation_group(request, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def translation_group(self, request, article):
        """The original and each translation, as the change page's panel lists them."""
        user = request.user
        members = services.group_of(article)
        original = members[0]
        rows = []
        for member in members:
            row = {
                "article": member,
                "is_current": member.pk == article.pk,
                "is_original": member.pk == original.pk,
                "language": languages.name(member.language),
                "status": status_label(member),
                "may_view": permissions.can_view(user, member),
            }
            if member.translation_of_id:
                row["out_of_date"] = services.is_out_of_date(member, original)
                row["may_mark"] = row["out_of_date"] and permissions.can_edit(user, member)
            rows.append(row)
        missing = [code for code in languages.codes() if code not in {m.language for m in members}]
        return {
            "rows": rows,
            "translate_into": [
                (code, languages.name(code))
                for code in missing
                if rules.may_translate(user, original, code)
            ],
            "original": original,
        }

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/translate/", view(self.translate_view), name="articles_article_translate"
            ),
            path(
                "<int:pk>/translation-up-to-date/",
                view(self.translation_up_to_date_view),
                name="articles_article_translation_up_to_date",
            ),
            path(
                "<int:pk>/translation-changes/",
                view(self.translation_changes_view),
                name="articles_article_translation_changes",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request, pk):
        """POST ``language``: a draft translation of the article's original, to write."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        if not permissions.can_edit(request.user, article.original):
            raise PermissionDenied
        language = request.POST.get("language", "")
        try:
            translation = services.create(article, language, request.user)
        except ValidationError as error:
            # Looked up only for one of the site's languages: anything else posted (a NUL
            # byte) is no value the database could be asked about.
            existing = (
                article.original.translations.filter(language=language).first()
                if language in languages.codes()
                else None
            )
            if existing is not None and permissions.can_view(request.user, existing):
                self.message_user(request, " ".join(error.messages), messages.WARNING)
                return redirect("admin:articles_article_change", existing.pk)
            return TemplateResponse(
                request,
                "admin/articles/article/translation_refused.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    # The original, which they may edit: not the article whose id was
                    # posted, which may be a translation they may not see.
                    "original": article.original,
                    "title": gettext("No translation made"),
                    "problems": error.messages,
                },
                status=400,
            )
        self.log_addition(request, translation, [{"added": {}}])
        self.message_user(
            request,
            gettext(
                "A draft translation into %(language)s, prefilled from the original: "
                "replace its words with yours."
            )
            % {"language": languages.name(language)},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", translation.pk)

    def translation_up_to_date_view(self, request, pk):
        """POST: the translation has caught up with its original as it is now."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        translation = get_object_or_404(Article, pk=pk)
        if not permissions.can_edit(request.user, translation):
            raise PermissionDenied
        if translation.translation_of_id is None:
            raise Http404(gettext("This article is not a translation."))
        services.mark_up_to_date(translation, request.user)
        self.log_change(request, translation, gettext("Marked as up to date with the original."))
        self.message_user(
            request, gettext("Marked as up to date with the original."), messages.SUCCESS
        )
        return redirect("admin:articles_article_change", translation.pk)

    def translation_changes_view(self, request, pk):
        """What changed in the original since the translation was made or brought up to date."""
        translation = get_object_or_404(Article.objects.select_related("translation_of"), pk=pk)
        original = translation.translation_of
        if not permissions.can_view(request.user, translation):
            raise PermissionDenied
        if original is None:
            raise Http404(gettext("This article is not a translation."))
        if not permissions.can_view(request.user, original):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": translation,
            "source_article": original,
            "title": gettext("What changed in the original since this translation"),
            "rows": services.changes_since(translation),
            "out_of_date": services.is_out_of_date(translation, original),
            "may_mark": permissions.can_edit(request.user, translation),
        }
        return TemplateResponse(request, "admin/articles/article/translation_changes.html", context)


# Quotes of a translation.


class TranslatedQuoteInlineMixin:
    """On a site of several languages, a quote's words as said and their language."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if languages.is_multilingual():
            fields += [("original_text", "original_language"), "translation_mark"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "translation_mark"] if languages.is_multilingual() else readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "original_language":
            return forms.ChoiceField(
                choices=[("", "—"), *language_choices(languages.codes())],
                required=False,
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("translated"))
    def translation_mark(self, quote):
        if quote.pk and quote.is_translation:
            return gettext("Translated from %(language)s: readers see it marked so.") % {
                "language": languages.name(quote.original_language)
            }
        return gettext("No: the words as said.")


# The vocabulary's names and descriptions in each language.


def translation_field_name(field, code):
    return f"{field}__{code.replace('-', '_')}"


class TranslatedFieldsForm:
    """Reads and writes ``translations`` (articles.models.Translatable) through fields."""

    translated = {}  # form field name -> (language code, model field name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for name, (code, field) in self.translated.items():
            self.initial.setdefault(name, stored.get(code, {}).get(field, ""))

    def clean(self):
        cleaned = super().clean()
        for name, (_code, field) in self.translated.items():
            text = (cleaned.get(name) or "").strip()
            if field == "description":
                # Rendered as Markdown on every page view, as the text as written is.
                problem = limits.too_long("description", text, limits.MAX_DESCRIPTION_CHARS)
                if problem := problem or nesting_problem(text):
                    self.add_error(name, problem)
            else:
                text = " ".join(text.split())
            cleaned[name] = text
        return cleaned

    def _post_clean(self):
        stored = {code: dict(texts) for code, texts in (self.instance.translations or {}).items()}
        for name, (code, field) in self.translated.items():
            text = self.cleaned_data.get(name)
            if text:
                stored.setdefault(code, {})[field] = text
            elif code in stored:
                stored[code].pop(field, None)
        self.instance.translations = {code: texts for code, texts in stored.items() if texts}
        super()._post_clean()


def translated_form(base, model, fields):
    """``base`` with a field for each of ``fields`` in each language but the first."""
    attrs, translated = {}, {}
    for code in languages.codes()[1:]:
        for field in fields:
            try:
                model_field = model._meta.get_field(field)
            except FieldDoesNotExist:  # a property, as TagProfile.name
                model_field = None
            name = translation_field_name(field, code)
            long_text = field == "description"
            attrs[name] = forms.CharField(
                required=False,
                label=f"{capfirst(getattr(model_field, 'verbose_name', field))} "
                f"({languages.name(code)})",
                max_length=None if long_text else getattr(model_field, "max_length", 200),
                widget=forms.Textarea(attrs={"rows": 3}) if long_text else None,
                help_text=_("Left empty, readers of this language see the text as written."),
            )
            translated[name] = (code, field)
    attrs["translated"] = translated
    return type(base.__name__, (TranslatedFieldsForm, base), attrs)


class TranslatedFieldsAdmin:
    """A vocabulary admin (or inline) whose form has the translated fields."""

    translated_fields = ()
    exclude = ["translations"]

    def get_form(self, request, obj=None, **kwargs):
        if languages.is_multilingual():
            kwargs["form"] = translated_form(
                kwargs.get("form", self.form), self.model, self.translated_fields
            )
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        if languages.is_multilingual():
            kwargs["form"] = translated_form(
                kwargs.get("form", self.form), self.model, self.translated_fields
            )
        return super().get_formset(request, obj, **kwargs)


# The languages a member of staff may write in, on their account's page.


class TranslatorLanguagesForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Languages"),
        help_text=_("Tick none to let them write in every language of the site."),
    )

    class Meta:
        model = TranslatorLanguages
        fields = ["languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(languages.codes())


class TranslatorLanguagesInline(admin.StackedInline):
    model = TranslatorLanguages
    form = TranslatorLanguagesForm
    can_delete = False
    verbose_name = verbose_name_plural = _("languages they may write articles in")

    def has_view_permission(self, request, obj=None):
        return languages.is_multilingual() and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return languages.is_multilingual() and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return languages.is_multilingual() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
