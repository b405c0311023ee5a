/*
 * The writing desk on the article form (see articles/desk): the text is autosaved a few
 * seconds after the editor stops typing; a heartbeat says the form is still open and
 * shows who else has the article open; the preview pane and the before-publish checklist
 * follow the text as it is typed, and the word count and reading time with every key.
 * Plain JavaScript, no dependencies; the form works as before without it.
 */
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  var form = desk && desk.closest("form");
  if (!form) return;

  // The words shown, translated on the server (data-labels on #desk); English without them.
  // “{name}” in a text is filled with values[name].
  var labels = {};
  try { labels = JSON.parse(desk.dataset.labels || "{}"); } catch (error) { labels = {}; }
  function t(text, values) {
    var said = labels[text] || text;
    Object.keys(values || {}).forEach(function (name) {
      said = said.split("{" + name + "}").join(values[name]);
    });
    return said;
  }
  var csrf = form.elements.csrfmiddlewaretoken.value;
  var status = document.getElementById("desk-status");
  var timer = null;
  var submitting = false;

  function value(name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }

  function quoteRows() {
    var rows = [];
    var total = Number(value("quotes-TOTAL_FORMS")) || 0;
    for (var i = 0; i < total; i++) {
      var prefix = "quotes-" + i + "-";
      var deleted = form.elements[prefix + "DELETE"];
      if (!form.elements[prefix + "text"] || (deleted && deleted.checked)) continue;
      var row = {};
      ["id", "speaker", "role", "text", "position"].forEach(function (name) {
        row[name] = value(prefix + name);
      });
      if (row.id || row.speaker || row.role || row.text) rows.push(row);
    }
    return rows;
  }

  function draft() {
    var data = new FormData();
    ["title", "standfirst", "body", "base_version"].forEach(function (name) {
      data.append(name, value(name));
    });
    data.append("quotes", JSON.stringify(quoteRows()));
    if (form.elements._desk_draft) data.append("draft", value("_desk_draft"));
    return data;
  }

  function fingerprint(data) {
    return JSON.stringify(Array.from(data.entries()));
  }

  function post(url, data) {
    data.append("csrfmiddlewaretoken", csrf);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(
      function (response) {
        return response.json().catch(function () {
          return { error: t("the server answered {status}.", { status: response.status }) };
        });
      }
    );
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("desk-error", Boolean(isError));
  }

  // Autosave: only when the text differs from what was last sent (or opened).
  var lastSent = fingerprint(draft());

  function autosave() {
    timer = null;
    var data = draft();
    var sent = fingerprint(data);
    if (submitting || sent === lastSent) return;
    lastSent = sent;
    post(desk.dataset.autosaveUrl, data).then(
      function (answer) {
        if (answer.error) {
          lastSent = null;
          say(t("Not autosaved: {error}", { error: answer.error }), true);
        } else {
          say(t("Draft autosaved at {time} (the article itself is not saved yet).", { time: answer.time }));
        }
      },
      function () {
        lastSent = null;
        say(t("Not autosaved: the server cannot be reached. Keep this window open."), true);
      }
    );
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(autosave, Number(desk.dataset.autosaveSeconds) * 1000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });

  // Discarding the autosave offered when the form opened.
  var discard = desk.querySelector("[data-desk-discard]");
  if (discard) {
    discard.hidden = false;
    discard.addEventListener("click", function () {
      var data = new FormData();
      data.append("discard", "1");
      if (discard.dataset.draft) data.append("draft", discard.dataset.draft);
      post(desk.dataset.autosaveUrl, data).then(function (answer) {
        if (answer.error) say(t("Not discarded: {error}", { error: answer.error }), true);
        else document.getElementById("desk-offer").remove();
      });
    });
  }

  // Presence: who else has this article open.
  var presence = document.getElementById("desk-presence");

  function heartbeat() {
    post(desk.dataset.presenceUrl, new FormData()).then(function (answer) {
      if (!answer.others) return;
      presence.hidden = answer.others.length === 0;
      presence.textContent = answer.others.length
        ? t("Also open: ") +
          answer.others
            .map(function (other) {
              return t("{name} (since {since})", { name: other.name, since: other.since });
            })
            .join(", ")
        : "";
    }, function () {});
  }

  if (desk.dataset.presenceUrl) {
    setInterval(heartbeat, Number(desk.dataset.heartbeatSeconds) * 1000);
  }

  // Word count and reading time, counted as the server counts them (articles/text.py).
  var WORD = /\S*[\p{L}\p{N}]\S*/gu;

  function countWords() {
    var text = value("standfirst") + "\n" + value("body");
    var words = (text.match(WORD) || []).length;
    var minutes = Math.max(1, Math.round(words / Number(desk.dataset.wordsPerMinute)));
    var shownWords = document.getElementById("desk-words");
    var shownMinutes = document.getElementById("desk-minutes");
    if (shownWords) shownWords.textContent = words;
    if (shownMinutes) shownMinutes.textContent = minutes;
  }

  form.addEventListener("input", countWords);

  // The preview pane and the checklist, rendered by the server from the form's values a
  // moment after typing stops; nothing of them is stored.
  var PREVIEW_DELAY = 600;
  var pane = document.getElementById("desk-pane");
  var frame = document.getElementById("desk-preview-frame");
  var paneStatus = document.getElementById("desk-pane-status");
  var toggle = document.getElementById("desk-preview-toggle");
  var checklist = document.getElementById("desk-checklist");
  var previewTimer = null;
  var previewed = null;
  var asked = 0;

  function previewData() {
    var data = draft();
    ["slug", "dateline", "lead_image_alt", "lead_image_caption", "lead_image_credit",
     "new_tags"].forEach(function (name) {
      data.append(name, value(name));
    });
    var tags = form.elements.tags;
    if (tags) {
      Array.from(tags.selectedOptions).forEach(function (option) {
        data.append("tags", option.value);
      });
    }
    return data;
  }

  function showPreview(html) {
    var scrolled = frame.contentWindow ? frame.contentWindow.scrollY : 0;
    frame.addEventListener("load", function () {
      frame.contentWindow.scrollTo(0, scrolled);
    }, { once: true });
    frame.srcdoc = html;
  }

  function preview() {
    previewTimer = null;
    var data = previewData();
    var sent = fingerprint(data);
    if (submitting || sent === previewed) return;
    previewed = sent;
    var mine = ++asked;
    post(desk.dataset.previewUrl, data).then(
      function (answer) {
        if (mine !== asked) return; // a later one is on its way
        if (answer.error) {
          previewed = null;
          paneStatus.textContent = t("Not previewed: {error}", { error: answer.error });
          return;
        }
        paneStatus.textContent = "";
        checklist.innerHTML = answer.checklist; // rendered and escaped by the server
        countWords(); // the text may have grown since it was sent
        showPreview(answer.html);
      },
      function () {
        previewed = null;
        paneStatus.textContent = t("Not previewed: the server cannot be reached.");
      }
    );
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, PREVIEW_DELAY);
  }

  if (desk.dataset.previewUrl && checklist) {
    form.addEventListener("input", schedulePreview);
    form.addEventListener("change", schedulePreview);
    if (window.django && window.django.jQuery) {
      // Picking a tag in the autocomplete says so through jQuery alone.
      window.django.jQuery(form).on("change", "select", schedulePreview);
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = pane.hidden;
      pane.hidden = !open;
      document.body.classList.toggle("desk-previewing", open);
      toggle.setAttribute("aria-pressed", String(open));
      toggle.textContent = open ? t("Hide preview") : t("Show preview");
    });
    preview(); // the checklist of the form as it is, restored text included
  }
})();
