// The picture chooser: a select of the library becomes a search as you type, with
// thumbnails. The search is the JSON endpoint named by the select's data-picture-chooser.
"use strict";
(function () {
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    if (text) node.textContent = text;
    return node;
  }

  function fillTexts(form, picture) {
    // The form's alt, caption and credit describe the chosen picture.
    const fields = { lead_image_alt: "alt", lead_image_caption: "caption", lead_image_credit: "credit" };
    Object.entries(fields).forEach(([name, key]) => {
      const input = form.querySelector(`[name="${name}"]`);
      if (input) input.value = picture ? picture[key] : "";
    });
    const of = form.querySelector('[name="lead_image_texts_of"]');
    if (of) of.value = picture ? String(picture.id) : "";
  }

  // The words shown, translated on the server (data-labels on the select); English without.
  let labels = {};
  function t(text) {
    return labels[text] || text;
  }

  function showCurrent(box, picture) {
    box.replaceChildren();
    if (!picture) return;
    if (picture.thumbnail) box.append(el("img", { src: picture.thumbnail, alt: "", width: "120" }));
    box.append(el("span", {}, " " + picture.label));
    if (picture.needs_alt) box.append(el("strong", { class: "picture-needs-alt" }, " " + t("No alt text yet")));
  }

  function setUp(select) {
    const wrapper = select.closest(".picture-chooser");
    const current = wrapper.querySelector("[data-chooser-current]");
    const help = wrapper.querySelector("[data-chooser-help]");
    const url = select.dataset.pictureChooser;
    try {
      labels = JSON.parse(select.dataset.labels || "{}");
    } catch (error) {
      labels = {};
    }
    const search = el("input", {
      type: "search",
      class: "vTextField picture-chooser-search",
      placeholder: t("Search the library: alt text, caption, credit"),
      "aria-label": t("Search the picture library"),
      "aria-controls": select.id + "-results",
    });
    const results = el("ul", { class: "picture-chooser-results", id: select.id + "-results", role: "listbox" });
    const clear = el("button", { type: "button", class: "button" }, t("No lead image"));
    const status = el("p", { class: "help", "aria-live": "polite" });
    help.replaceWith(search, clear, status, results);
    select.hidden = true;

    function choose(picture) {
      if (picture && !select.querySelector(`option[value="${picture.id}"]`)) {
        select.append(el("option", { value: String(picture.id) }, picture.label));
      }
      select.value = picture ? String(picture.id) : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      showCurrent(current, picture);
      fillTexts(select.form, picture);
    }

    let timer = null;
    let asked = 0;
    async function run() {
      const ticket = ++asked;
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(search.value)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const data = await response.json();
        if (ticket !== asked) return;
        if (!response.ok) {
          status.textContent = data.error || t("The search failed.");
          return;
        }
        results.replaceChildren();
        status.textContent = data.results.length ? "" : t("No picture matches.");
        data.results.forEach((picture) => {
          const item = el("li", { role: "option" });
          const button = el("button", { type: "button", class: "picture-chooser-result", "data-picture-id": String(picture.id) });
          if (picture.thumbnail) button.append(el("img", { src: picture.thumbnail, alt: "", width: "96" }));
          button.append(el("span", {}, picture.label + (picture.credit ? ` (${picture.credit})` : "")));
          if (picture.needs_alt) button.append(el("strong", { class: "picture-needs-alt" }, t("No alt text")));
          button.addEventListener("click", () => {
            choose(picture);
            results.replaceChildren();
          });
          item.append(button);
          results.append(item);
        });
      } catch (error) {
        if (ticket === asked) status.textContent = t("The library could not be searched; try again.");
      }
    }
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    search.addEventListener("focus", () => {
      if (!results.children.length) run();
    });
    clear.addEventListener("click", () => choose(null));
  }

  function start() {
    document.querySelectorAll("select[data-picture-chooser]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
