"""End-to-end: an editor picks a lead image from the library in a real Chromium."""

import pytest

from tests.test_browser_admin import PASSWORD, editor  # noqa: F401 - the editor fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_an_editor_searches_the_library_chooses_a_lead_image_and_readers_see_it(page, editor):  # noqa: F811
    from playwright.sync_api import expect

    from articles.models import Article
    from tests.factories import make_picture

    wanted = make_picture(
        (1600, 900), alt="Leaders at the summit", caption="The family photo.", credit="Newsroom"
    )
    make_picture((800, 600), alt="A harbour at dawn", credit="Agency")
    log_in(page)
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", "Summit ends with a family photo")
    page.fill("#id_standfirst", "Leaders posed together.")
    page.fill("#id_body", "The summit ended on Friday.")
    page.fill("#id_new_tags", "Summit")

    # The select gives way to a search as you type, with thumbnails.
    assert page.locator("#id_lead_image").is_hidden()
    search = page.get_by_role("searchbox", name="Search the picture library")
    search.fill("summit")
    result = page.locator(".picture-chooser-result")
    expect(result).to_have_count(1)
    assert result.first.locator("img").get_attribute("src").endswith(".jpg")
    result.first.click()
    assert page.input_value("#id_lead_image") == str(wanted.pk)
    assert page.input_value("#id_lead_image_alt") == "Leaders at the summit"
    assert "Leaders at the summit" in page.locator("[data-chooser-current]").inner_text()

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/admin/articles/article/")
    article = Article.objects.get(title="Summit ends with a family photo")
    assert article.lead_image_id == wanted.pk

    page.goto(article.get_absolute_url())
    figure = page.locator("figure.lead-image")
    assert "The family photo." in figure.inner_text()
    image = figure.locator("img")
    assert image.get_attribute("alt") == "Leaders at the summit"
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("1600", "900")
    assert page.evaluate("document.querySelector('figure.lead-image img').naturalWidth") > 0


def test_clicking_the_picture_sets_its_focal_point(page, editor):  # noqa: F811
    from tests.factories import make_picture

    picture = make_picture((1600, 800), alt="A wide picture")
    old_square = picture.crops["square"][0]["name"]
    log_in(page)
    page.goto(f"/admin/articles/picture/{picture.pk}/change/")
    image = page.locator("[data-focal-point] img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.8})
    assert abs(float(page.input_value("#id_focal_x")) - 0.1) < 0.02
    assert abs(float(page.input_value("#id_focal_y")) - 0.8) < 0.02
    assert page.locator(".focal-point-marker").is_visible()
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/articles/picture/")
    picture.refresh_from_db()
    assert abs(picture.focal_x - 0.1) < 0.02
    assert picture.crops["square"][0]["name"] != old_square
