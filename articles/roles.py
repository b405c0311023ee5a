"""
The newsroom's two roles, as Django groups.

Writers create articles and edit their own until they are published; they can submit
them for review but not publish. Both add pictures to the media library, describe and use
them; only editors delete them. Editors edit everything, publish, schedule and
unpublish. The object-level rules (whose article, which status) live in
``articles.permissions``.
"""

from django.contrib.auth.models import Group, Permission

WRITERS = "Writers"
EDITORS = "Editors"

WRITER_PERMISSIONS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.delete_article",
    "articles.add_quote",
    "articles.change_quote",
    "articles.delete_quote",
    "articles.view_quote",
    "articles.add_articleevent",
    "articles.change_articleevent",
    "articles.delete_articleevent",
    "articles.view_articleevent",
    "articles.add_person",
    "articles.view_person",
    "articles.add_event",
    "articles.view_event",
    "articles.view_correction",
    "articles.add_sharelink",
    "articles.view_sharelink",
    "articles.delete_sharelink",
    "taggit.view_tag",
    "auth.view_user",  # to pick co-authors
    # The media library: writers add pictures, describe them and use them.
    "articles.add_picture",
    "articles.change_picture",
    "articles.view_picture",
    "articles.view_coverage",  # their own assignments (see articles.planning)
    "articles.view_embed",
    # Live updates: to live articles they are an author of (see articles.live.permissions).
    "articles.add_liveupdate",
    "articles.change_liveupdate",
    "articles.delete_liveupdate",
    "articles.view_liveupdate",
    "articles.view_livecoverage",
]

EDITOR_PERMISSIONS = [
    *WRITER_PERMISSIONS,
    "articles.publish_article",
    "articles.edit_any_article",
    "articles.change_person",
    "articles.delete_person",
    "articles.change_event",
    "articles.delete_event",
    "articles.add_correction",
    "articles.change_correction",
    "articles.delete_correction",
    "articles.change_sharelink",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "articles.add_tagprofile",
    "articles.change_tagprofile",
    "articles.view_tagprofile",
    "articles.view_mergerecord",
    "articles.add_slugredirect",
    "articles.change_slugredirect",
    "articles.delete_slugredirect",
    "articles.view_slugredirect",
    "articles.add_apitoken",
    "articles.change_apitoken",
    "articles.view_apitoken",
    "articles.delete_picture",
    "articles.add_coverage",  # planning coverage of events
    "articles.change_coverage",
    "articles.delete_coverage",
    "articles.change_embed",
    "articles.delete_embed",
    "articles.add_livecoverage",
    "articles.change_livecoverage",
    "articles.delete_livecoverage",
]

ROLES = {WRITERS: WRITER_PERMISSIONS, EDITORS: EDITOR_PERMISSIONS}


def permissions(names):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def ensure_roles():
    """Create or update the Writers and Editors groups. Safe to run any number of times."""
    for group_name, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions(names))
