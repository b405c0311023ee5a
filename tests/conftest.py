import pytest

pytest_plugins = ["tests.browser", "tests.servers", "tests.oembed_server"]


def pytest_sessionstart(session):
    """The interface text's catalogues compiled, as ``make install`` compiles them."""
    from newsroom.catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache, and pages are only cached where a test says so."""
    from django.core.cache import cache

    from articles.invalidation import pending

    cache.clear()
    pending.take()  # changes an earlier test noted but never committed
    settings.PAGE_CACHE_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_article(db):
    from articles.demo import load_demo

    article, _ = load_demo()
    return article


# The newsroom's roles, as the tests of its boundaries meet them.


@pytest.fixture
def writer(db):
    from articles.roles import WRITERS
    from tests.factories import make_staff

    return make_staff("wendy", WRITERS)


@pytest.fixture
def other_writer(db):
    from articles.roles import WRITERS
    from tests.factories import make_staff

    return make_staff("walter", WRITERS)


@pytest.fixture
def editor(db):
    from articles.roles import EDITORS
    from tests.factories import make_staff

    return make_staff("edna", EDITORS)


# The site in English and French (see tests.factories.TWO_LANGUAGES).


@pytest.fixture
def bilingual():
    from django.test import override_settings

    from tests.factories import TWO_LANGUAGES

    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, so that it renews what it touched."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run
