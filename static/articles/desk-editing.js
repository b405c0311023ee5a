/*
 * Editing comfort on the article form (see articles/desk): the body grows with its text,
 * a toolbar puts Markdown around the selection, the slug follows the headline until the
 * article is first published, and Ctrl+S (Cmd+S) saves and stays on the form. Plain
 * JavaScript, no dependencies; the form works as before without it.
 */
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  var form = desk && desk.closest("form");
  var body = form && form.elements.body;
  if (!body) return;

  // The words shown, translated on the server (data-labels on #desk); English without them.
  var labels = {};
  try { labels = JSON.parse(desk.dataset.labels || "{}"); } catch (error) { labels = {}; }
  function t(text) { return labels[text] || text; }

  // Every change goes through an input event, so autosave and preview follow it.
  function changed(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The body grows with its text, never shrinking below its first height.
  var smallest = body.offsetHeight;

  function grow() {
    body.style.height = "auto";
    body.style.height = Math.max(smallest, body.scrollHeight + 2) + "px";
  }

  body.addEventListener("input", grow);
  grow();

  // The toolbar: around the selection (bold, italic, link), or at the start of each of
  // its lines (heading, list, quote).
  function wrap(before, after, placeholder) {
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var selected = body.value.slice(start, end) || placeholder;
    body.setRangeText(before + selected + after, start, end, "end");
    body.setSelectionRange(start + before.length, start + before.length + selected.length);
  }

  function prefixLines(prefix) {
    var start = body.value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    var end = body.selectionEnd;
    var lines = body.value.slice(start, end).split("\n");
    var text = lines
      .map(function (line, index) {
        return (typeof prefix === "function" ? prefix(index) : prefix) + line;
      })
      .join("\n");
    body.setRangeText(text, start, end, "select");
  }

  var BUTTONS = [
    [t("Bold"), function () { wrap("**", "**", t("bold text")); }],
    [t("Italic"), function () { wrap("*", "*", t("italic text")); }],
    [t("Link"), function () { wrap("[", "](https://)", t("link text")); }],
    [t("Heading"), function () { prefixLines("## "); }],
    [t("List"), function () { prefixLines("- "); }],
    [t("Quote"), function () { prefixLines("> "); }],
  ];

  var toolbar = document.createElement("div");
  toolbar.className = "desk-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Markdown");
  toolbar.setAttribute("aria-controls", body.id);
  BUTTONS.forEach(function (button) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button";
    element.textContent = button[0];
    element.addEventListener("click", function () {
      body.focus();
      button[1]();
      changed(body);
    });
    toolbar.appendChild(element);
  });
  body.parentNode.insertBefore(toolbar, body);

  // The slug follows the headline until the article is first published, unless the
  // editor wrote a slug of their own. Django's own script does it on the add form only.
  var title = form.elements.title;
  var slug = form.elements.slug;
  if (title && slug && "slugFollows" in desk.dataset && window.URLify) {
    var maxLength = Number(slug.maxLength) > 0 ? Number(slug.maxLength) : 50;
    var follows = !slug.value || slug.value === window.URLify(title.value, maxLength, false);
    slug.addEventListener("change", function () {
      follows = slug.value === window.URLify(title.value, maxLength, false);
    });
    title.addEventListener("input", function () {
      if (!follows) return;
      slug.value = window.URLify(title.value, maxLength, false);
    });
  }

  // Ctrl+S or Cmd+S: “Save and continue editing”.
  var saveAndStay = form.querySelector("[name=_continue]");
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") {
      return;
    }
    if (!saveAndStay) return;
    event.preventDefault();
    form.requestSubmit(saveAndStay);
  });
})();
