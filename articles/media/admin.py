"""
The library in the admin: the list (thumbnails, search, filters), one picture's page
(texts, focal point, crops, uses), bulk upload, the chooser's search, and deletion
refused while an article uses the picture.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import images, permissions
from articles.media import chooser, usage
from articles.media.forms import BulkUploadForm, PictureForm
from articles.media.library import add_picture, delete_files_later, set_focal_point
from articles.media.models import Picture
from articles.media.rendering import picture_data


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Not used by any article")), ("used", _("Used by an article"))]

    def queryset(self, request, queryset):
        match self.value():
            case "unused":
                return queryset.unused()
            case "used":
                return queryset.used()
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", _("No alt text yet")), ("present", _("Has alt text"))]

    def queryset(self, request, queryset):
        match self.value():
            case "missing":
                return queryset.without_alt()
            case "present":
                return queryset.exclude(pk__in=Picture.objects.without_alt().values("pk"))
        return queryset


def thumbnail_html(picture, width=80):
    data = picture_data(picture)
    if not data:
        return ""
    teaser = data["teaser"]
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        teaser["thumbnail"],
        picture.alt,
        width,
        round(width * teaser["height"] / teaser["width"]),
    )


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    form = PictureForm
    list_display = [
        "thumbnail", "label", "caption", "credit", "uses_count", "uploaded_by", "uploaded_at",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "label"]
    list_filter = [
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        "uploaded_at",
        UseFilter,
        AltTextFilter,
    ]
    search_fields = ["alt", "caption", "credit"]
    search_help_text = _("Words of the alt text, caption or credit.")
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["focal_point", "crops_made", "size", "uploaded_by", "uploaded_at", "used_by"]
    change_list_template = "admin/articles/picture/change_list.html"
    delete_confirmation_template = "admin/articles/picture/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/articles/picture/delete_selected_confirmation.html"
    )

    class Media:
        js = ["articles/media/focal.js"]
        css = {"all": ["articles/media/media.css"]}

    def get_fieldsets(self, request, obj=None):
        texts = ["alt", "caption", "credit", "source"]
        if obj is None:
            return [(None, {"fields": ["upload", *texts]})]
        return [
            (None, {"fields": ["focal_point", *texts]}),
            (_("Focal point and crops"), {"fields": ["focal_x", "focal_y", "crops_made"]}),
            ("Record", {"fields": ["size", "uploaded_by", "uploaded_at", "used_by"]}),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(uses_count=Count("uses"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_describe_picture(request.user, obj)
        )

    # The list.

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return thumbnail_html(obj)

    @admin.display(description=_("alt text"), ordering="alt")
    def label(self, obj):
        if obj.needs_alt:
            return format_html(
                '<strong class="picture-needs-alt">{}</strong>', gettext("No alt text yet")
            )
        return obj.alt

    @admin.display(description=_("uses"), ordering="uses_count")
    def uses_count(self, obj):
        return obj.uses_count or gettext("Unused")

    # One picture's page.

    @admin.display(description=_("picture"))
    def focal_point(self, obj):
        data = picture_data(obj)
        if not data:
            return gettext("No renditions were made of this picture.")
        return format_html(
            '<div class="focal-point" data-focal-point><img src="{}" alt="{}" width="{}" '
            'height="{}"><span class="focal-point-marker" hidden></span></div>'
            '<p class="help">{}</p>',
            data["src"],
            obj.alt,
            obj.width,
            obj.height,
            gettext(
                "Click where the subject is: crops keep that point in frame. "
                "Without the script, type the focal point below."
            ),
        )

    @admin.display(description=_("crops"))
    def crops_made(self, obj):
        storage = obj.file.storage
        shown = [
            (storage.url(crop[0]["name"]), name, crop[0]["width"], crop[0]["height"])
            for name, crop in sorted(obj.crops.items())
            if crop
        ]
        if not shown:
            return gettext("None yet: they are cut when the focal point is saved.")
        return format_html(
            '<div class="picture-crops">{}</div>',
            format_html_join(
                "",
                '<figure><img src="{}" alt="" width="{}" height="{}" loading="lazy">'
                "<figcaption>{} ({} × {})</figcaption></figure>",
                ((url, w, h, name, w, h) for url, name, w, h in shown),
            ),
        )

    @admin.display(description=_("size"))
    def size(self, obj):
        return f"{obj.width} × {obj.height} pixels"

    @admin.display(description=_("used by"))
    def used_by(self, obj):
        return uses_html(obj.viewer, usage.uses_of([obj]).get(obj.pk, []))

    def get_object(self, request, object_id, from_field=None):
        picture = super().get_object(request, object_id, from_field)
        if picture is not None:
            picture.viewer = request.user  # “used by” names only the articles they may open
        return picture

    def save_model(self, request, obj, form, change):
        if not change:
            stored = add_picture(
                form.image, save=False, **{name: getattr(obj, name) for name in TEXTS}
            )
            obj.file, obj.width, obj.height = stored.file.name, stored.width, stored.height
            obj.renditions, obj.crops = stored.renditions, stored.crops
            obj.uploaded_by = request.user
            request.new_picture_files = obj.files()
        elif {"focal_x", "focal_y"} & set(form.changed_data):
            set_focal_point(obj, obj.focal_x, obj.focal_y)
            request.new_picture_files = obj.crop_files()
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, *args, **kwargs):
        # Files are written outside the save's transaction: a save that fails removes them.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except BaseException:
            images.delete_pictures(getattr(request, "new_picture_files", []))
            raise

    # Deleting: refused while an article uses the picture.

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        uses = usage.uses_of(objs)
        if uses:
            protected = [
                format_html("{}: {}", picture, uses_html(request.user, uses[picture.pk]))
                for picture in objs
                if picture.pk in uses
            ]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        delete_files_later(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for picture in queryset:
            delete_files_later(picture)
        super().delete_queryset(request, queryset)

    # Bulk upload and the chooser's search.

    def get_urls(self):
        return [
            path(
                "choose/",
                self.admin_site.admin_view(self.choose_view),
                name="articles_picture_choose",
            ),
            path(
                "bulk-upload/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="articles_picture_bulk_upload",
            ),
            *super().get_urls(),
        ]

    def choose_view(self, request):
        """The chooser's search as you type (see articles.media.chooser)."""
        if request.method != "GET":
            return JsonResponse({"error": gettext("Only GET.")}, status=405)
        if not self.has_view_permission(request):
            return JsonResponse({"error": gettext("You may not choose pictures.")}, status=403)
        return chooser.search_view(request)

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            stored, refused = store_each(form, request.user)
            report(self, request, stored, refused)
            if not refused:
                changelist = reverse("admin:articles_picture_changelist")
                return redirect(f"{changelist}?alt=missing" if stored else changelist)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Upload several pictures"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/picture/bulk_upload.html", context)


TEXTS = ["alt", "caption", "credit", "source", "focal_x", "focal_y"]


def store_each(form, user):
    """Check and store each file by itself: the good ones kept, the bad ones named."""
    stored, refused = [], []
    for upload in form.cleaned_data["files"]:
        try:
            with transaction.atomic():
                picture = add_picture(
                    upload,
                    uploaded_by=user,
                    credit=form.cleaned_data["credit"],
                    source=form.cleaned_data["source"],
                )
        except ValidationError as error:
            refused.append((upload.name, " ".join(error.messages)))
        else:
            stored.append(picture)
    return stored, refused


def report(model_admin, request, stored, refused):
    if stored:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)s picture(s) added to the library. Add the alt text of each: "
                "articles using a picture without it cannot be published.",
                "%(count)s picture(s) added to the library. Add the alt text of each: "
                "articles using a picture without it cannot be published.",
                len(stored),
            )
            % {"count": len(stored)},
            messages.SUCCESS,
        )
    if refused:
        model_admin.message_user(
            request,
            format_html(
                gettext("Not added: {}"),
                format_html_join("", "<br>{}: {}", ((name, why) for name, why in refused)),
            ),
            messages.ERROR,
        )


def uses_html(user, uses):
    """The articles using a picture, linked for those ``user`` may open, counted otherwise."""
    from articles.models import Article

    if not uses:
        return gettext("No article uses this picture.")
    ids = {article.pk for article, _ in uses}
    visible = set(
        permissions.viewable(user, Article.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    shown = [
        (reverse("admin:articles_article_change", args=[article.pk]), article.title, kind.lower())
        for article, kind in uses
        if article.pk in visible
    ]
    hidden = len([1 for article, _ in uses if article.pk not in visible])
    return format_html(
        "<ul>{}{}</ul>",
        format_html_join("", '<li><a href="{}">{}</a> ({})</li>', shown),
        format_html(
            "<li>{}</li>",
            ngettext(
                "%(count)s unpublished article(s) of other writers",
                "%(count)s unpublished article(s) of other writers",
                hidden,
            )
            % {"count": hidden},
        )
        if hidden
        else "",
    )
