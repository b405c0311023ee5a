from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"
    default = True

    def ready(self):
        from articles import lookups, signals  # noqa: F401 - registers the lookup, connects receivers
        from articles.blocks import signals as block_signals  # noqa: F401 - bodies stay fresh
        from articles.live import signals as live_signals  # noqa: F401 - live coverage's receivers
        from articles.planning import signals as planning_signals  # noqa: F401
        from newsroom import proxies  # noqa: F401 - registers the deployment check


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin, with the newsroom's own site (see articles/admin_site.py)."""

    default = False
    default_site = "articles.admin_site.NewsroomAdminSite"
