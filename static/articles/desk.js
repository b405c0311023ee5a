/*
 * The writing desk on the article form (see articles/desk): the text is autosaved a few
 * seconds after the editor stops typing, and a heartbeat says the form is still open and
 * shows who else has the article open. Plain JavaScript, no dependencies; the form works
 * as before without it.
 */
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  var form = desk && desk.closest("form");
  if (!form) return;
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
          return { error: "the server answered " + response.status + "." };
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
          say("Not autosaved: " + answer.error, true);
        } else {
          say("Draft autosaved at " + answer.time + " (the article itself is not saved yet).");
        }
      },
      function () {
        lastSent = null;
        say("Not autosaved: the server cannot be reached. Keep this window open.", true);
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
        if (answer.error) say("Not discarded: " + answer.error, true);
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
        ? "Also open: " +
          answer.others
            .map(function (other) {
              return other.name + " (since " + other.since + ")";
            })
            .join(", ")
        : "";
    }, function () {});
  }

  if (desk.dataset.presenceUrl) {
    setInterval(heartbeat, Number(desk.dataset.heartbeatSeconds) * 1000);
  }
})();
