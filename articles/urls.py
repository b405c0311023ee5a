from django.urls import path, register_converter

from articles import views


class TagListConverter:
    """One or more tag slugs joined by ``+``: ``ukraine+sanctions``."""

    regex = r"[-\w]+(?:\+[-\w]+)*"

    def to_python(self, value):
        return value.split("+")

    def to_url(self, value):
        return value if isinstance(value, str) else "+".join(value)


register_converter(TagListConverter, "tags")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("tags/<tags:slugs>/", views.TagView.as_view(), name="tag"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
]
