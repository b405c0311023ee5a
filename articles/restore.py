"""
Restoring from a revision: only the object's own part, and only by someone who may write it.

django-reversion looks the version named in a URL up by its ``object_id`` alone and then
reverts the whole revision it belongs to. A version of a quote can carry the same
``object_id`` as an article, and a revision saved by a bulk action holds several
articles: restoring through one article then rewrote others, whoever they belonged to.
Here the version must be one of this very object, and the restore writes only the object
and the rows its revisions carry (an article's quotes, event links, tags, corrections),
each of which the user must be allowed to write through the change form.
"""

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin, _RollBackRevisionView
from reversion.errors import RevertError
from reversion.models import Version, _safe_revert
from reversion.revisions import _get_options, set_comment
from reversion.utils import mute_signals

# Version ids are 32-bit integers; a longer number names no version.
MAX_VERSION_ID = 2**31 - 1


def version_id_or_404(version_id):
    if not str(version_id).isdigit() or int(version_id) > MAX_VERSION_ID:
        raise Http404(_("No such revision."))
    return int(version_id)


def followed(model):
    """(model, foreign key attname, accessor) of each relation ``model``'s revisions carry."""
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        yield relation.related_model, relation.field.attname, name


def own_part(version):
    """
    The versions in ``version``'s revision that belong to its object: its own version and
    those of the rows it follows (an article's quotes...) that point at it. Versions of
    other objects saved in the same revision are left out.
    """
    model = version._model
    by_content_type = {
        ContentType.objects.get_for_model(child).pk: attname
        for child, attname, _ in followed(model)
    }
    part = []
    for candidate in version.revision.version_set.filter(db=version.db):
        if candidate.content_type_id == version.content_type_id:
            if candidate.object_id == version.object_id:
                part.append(candidate)
        elif candidate.content_type_id in by_content_type:
            parent_id = candidate.field_dict.get(by_content_type[candidate.content_type_id])
            if str(parent_id) == version.object_id and not of_live_update(model, candidate):
                part.append(candidate)
    return part


def of_live_update(model, version):
    """
    Whether ``version`` is of a quote said in a live update, kept with its article: the
    update's part of a revision (restored through the update), never the article's, so
    restoring the article neither rewrites nor deletes what was said live since.
    """
    return model._meta.model_name != "liveupdate" and version.field_dict.get("update_id")


def own_rows(current, accessor):
    """The rows ``current`` follows under ``accessor``, but a live update's quotes for an
    article (see of_live_update)."""
    rows = getattr(current, accessor).all()
    if current._meta.model_name == "liveupdate":
        return list(rows)
    return [row for row in rows if getattr(row, "update_id", None) is None]


def _differs(version, current):
    """Whether restoring ``version`` would change the row ``current`` (None: missing)."""
    if current is None:
        return True
    return any(
        getattr(current, name) != value
        for name, value in version._local_field_dict.items()
        if not isinstance(value, list)  # many-to-many values: the object's own change
    )


def child_writes(version, part):
    """
    Each followed row the restore would write: {model: set of "add"/"change"/"delete"}.
    A row the restore leaves as it is needs no permission.
    """
    model = version._model
    using = version.db
    current = model._default_manager.using(using).filter(pk=version.object_id).first()
    writes = {}
    for child, _attname, accessor in followed(model):
        content_type = ContentType.objects.get_for_model(child)
        versions = {v.object_id: v for v in part if v.content_type_id == content_type.pk}
        existing = {str(row.pk): row for row in own_rows(current, accessor)} if current else {}
        actions = set()
        for object_id, child_version in versions.items():
            row = existing.get(object_id)
            if row is None and child._default_manager.using(using).filter(pk=object_id).exists():
                # The row is now another object's: restoring would take it from there.
                raise PermissionDenied(_("This revision holds a row of another object."))
            if _differs(child_version, row):
                actions.add("add" if row is None else "change")
        if set(existing) - set(versions):
            actions.add("delete")
        if actions:
            writes[child] = actions
    return writes


def deleted_reference(part):
    """
    A message naming what a row of ``part`` points at that no longer exists (the person
    a quote was by, an event, a tag), or None. Restoring it would fail half-way.
    """
    restored = {(v._model, str(v.object_id)) for v in part}
    for version in part:
        fields = version._local_field_dict
        for field in version._model._meta.concrete_fields:
            value = fields.get(field.attname) if field.many_to_one else None
            target = field.related_model if field.many_to_one else None
            if value is None or (target, str(value)) in restored:
                continue
            lookup = {field.target_field.attname: value}
            if not target._default_manager.using(version.db).filter(**lookup).exists():
                return _(
                    "This revision cannot be restored: the %(target)s its %(model)s refers "
                    "to has been deleted since."
                ) % {
                    "target": target._meta.verbose_name,
                    "model": version._model._meta.verbose_name,
                }
    return None


def revert_own_part(version, part):
    """Revert ``part`` (see own_part), deleting the followed rows the revision did not have."""
    model = version._model
    current = model._default_manager.using(version.db).filter(pk=version.object_id).first()
    if current is not None:
        kept = {(v.content_type_id, v.object_id) for v in part}
        for child, _attname, accessor in followed(model):
            content_type = ContentType.objects.get_for_model(child)
            for row in own_rows(current, accessor):
                if (content_type.pk, str(row.pk)) not in kept:
                    row.delete()
    _safe_revert(part)


class OwnPartVersionAdmin(VersionAdmin):
    """
    A VersionAdmin whose revision and recover views take only versions of this model (and
    for a revision, of this object), restore only that object's part of the revision,
    and refuse a restore that would write a row the user may not write in the change
    form.
    """

    def history_view(self, request, object_id, extra_context=None):
        # Asked of the object first: django-reversion looks the id up as text among the
        # versions, where a forged one (a NUL) is a database error on PostgreSQL.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise Http404(_("No such object, or not yours to restore."))
        version = get_object_or_404(
            Version.objects.get_for_object(obj), pk=version_id_or_404(version_id)
        )
        self.check_restore(request, obj, version)
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        context.update(extra_context or {})
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        return self._reversion_revisionform_view(request, version, template, context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_model(self.model), pk=version_id_or_404(version_id)
        )
        if self.model._default_manager.filter(pk=version.object_id).exists():
            raise Http404(_("Only a deleted object can be recovered; restore a revision instead."))
        self.check_restore(request, None, version)
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        context.update(extra_context or {})
        template = self.recover_form_template or self._reversion_get_template_list(
            "recover_form.html"
        )
        return self._reversion_revisionform_view(request, version, template, context)

    def check_restore(self, request, obj, version):
        """Refuse (403) a restore writing a followed row the change form would not let
        this user write: a writer restoring an editor's corrections, say."""
        inlines = {type(inline).model: inline for inline in self.get_inline_instances(request, obj)}
        inline_models = {inline.model for inline in self.inlines}
        for child, actions in child_writes(version, own_part(version)).items():
            refusal = _("This revision changes %(things)s.") % {
                "things": child._meta.verbose_name_plural
            }
            inline = inlines.get(child)
            if inline is None:
                if child in inline_models:  # an inline this user does not get at all
                    raise PermissionDenied(refusal)
                continue  # edited as a field of the object itself, as tags are
            allowed = {
                "add": inline.has_add_permission(request, obj),
                "change": inline.has_change_permission(request, obj),
                "delete": inline.has_delete_permission(request, obj),
            }
            if not all(allowed[action] for action in actions):
                raise PermissionDenied(refusal)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """django-reversion's view, reverting only the object's own part of the revision."""
        if not connections[version.db].features.uses_savepoints:
            raise ImproperlyConfigured("Restoring revisions needs a database with savepoints.")
        if request.method == "GET":
            # Showing a revision reverts it in a transaction that is then rolled back:
            # nothing may react to those writes.
            signals = mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
        else:
            signals = nullcontext()
        try:
            part = own_part(version)
            if problem := deleted_reference(part):
                raise RevertError(problem)
            with transaction.atomic(using=version.db), signals:
                revert_own_part(version, part)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        saved = localize(template_localtime(version.revision.date_created))
                        set_comment(
                            _("Reverted to previous version, saved on %(datetime)s")
                            % {"datetime": saved}
                        )
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()
                        raise _RollBackRevisionView(response)
                    else:
                        raise RevertError(
                            _("Could not load %(object_repr)s version - not found")
                            % {"object_repr": version.object_repr}
                        )
        except (RevertError, models.ProtectedError) as error:
            messages.error(request, force_str(error))
            opts = self.model._meta
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except _RollBackRevisionView as rolled_back:
            return rolled_back.response
        return response
