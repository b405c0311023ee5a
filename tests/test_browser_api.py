"""The API documentation in a real Chromium, under the site's Content Security Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_and_try_a_request_without_breaking_the_policy(page, live_server):
    from articles.demo import load_demo

    load_demo()
    problems, outside = [], []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda r: not r.url.startswith((live_server.url, "data:")) and outside.append(r.url),
    )
    page.goto("/api/docs/")
    page.get_by_text("Newsroom content API").first.wait_for()
    operation = page.locator(".opblock-summary-path", has_text="/api/tags/").first
    operation.wait_for()
    operation.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    # The live answer, not the documented examples beside it.
    answer = page.locator(".live-responses-table .response-col_status", has_text="200")
    answer.first.wait_for()
    page.locator(".live-responses-table", has_text="Ukraine").first.wait_for()
    assert not problems, problems
    assert not outside, outside
