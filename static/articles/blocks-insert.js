/*
 * The "Insert" toolbar above the article body (see articles/blocks): puts a block line at
 * the cursor, on a line of its own, as an editor would type it:
 *   ::: pull-quote 2            one of this article's quotes (the rows of the form below)
 *   ::: embed https://…         a video, post or PDF by its address
 *   ::: picture 12 wide "…"     a library picture, its size and an optional caption
 *   ::: gallery 12 14 15        several library pictures, in the order chosen
 * Pictures and galleries are chosen by searching the media library as you type (the JSON
 * search named by data-picture-chooser on #desk); without that the buttons say why
 * they are off. Every panel works from the keyboard: Escape closes it.
 * Plain JavaScript, no dependencies; without it the editor types the same lines.
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

  function insertBlock(line) {
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var before = body.value.slice(0, start);
    var after = body.value.slice(end);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var text = lead + line + tail;
    body.setRangeText(text, start, end, "end");
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // This article's quotes, as the form holds them now (saved or just added).
  function formQuotes() {
    var quotes = [];
    form.querySelectorAll("[name^='quotes-'][name$='-position']").forEach(function (field) {
      var prefix = field.name.slice(0, -"position".length);
      var deleted = form.elements[prefix + "DELETE"];
      var text = form.elements[prefix + "text"];
      var speaker = form.elements[prefix + "speaker"];
      if (/__prefix__/.test(prefix) || (deleted && deleted.checked)) return;
      if (!text || !text.value.trim() || !field.value) return;
      var option = speaker && speaker.selectedOptions && speaker.selectedOptions[0];
      quotes.push({
        position: field.value,
        speaker: option ? option.textContent.trim() : "",
        text: text.value.trim(),
      });
    });
    return quotes;
  }

  var panel = document.createElement("div");
  panel.className = "blocks-insert-panel";
  panel.setAttribute("role", "group");
  panel.hidden = true;

  function closePanel() {
    panel.hidden = true;
    body.focus();
  }
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closePanel(); }
  });

  function openPanel(label, fill) {
    panel.textContent = "";
    panel.setAttribute("aria-label", label);
    var heading = document.createElement("p");
    heading.className = "blocks-insert-heading";
    heading.textContent = label;
    panel.appendChild(heading);
    fill(panel);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button blocks-insert-close";
    close.textContent = t("Close");
    close.addEventListener("click", closePanel);
    panel.appendChild(close);
    panel.hidden = false;
    var first = panel.querySelector(".blocks-insert-search") || panel.querySelector("input, button");
    if (first) first.focus();
  }

  function pullQuote() {
    openPanel(t("Insert a pull quote"), function (into) {
      var quotes = formQuotes();
      if (!quotes.length) {
        var none = document.createElement("p");
        none.textContent = t("This article has no quotes yet: add one under “Quotes” below, with its position.");
        into.appendChild(none);
        return;
      }
      var list = document.createElement("ul");
      quotes.forEach(function (quote) {
        var item = document.createElement("li");
        var choose = document.createElement("button");
        choose.type = "button";
        choose.className = "button blocks-insert-quote";
        choose.dataset.position = quote.position;
        var words = quote.text.length > 80 ? quote.text.slice(0, 80) + "…" : quote.text;
        choose.textContent = quote.position + ". " + (quote.speaker ? quote.speaker + ": " : "") + "“" + words + "”";
        choose.addEventListener("click", function () {
          panel.hidden = true;
          insertBlock("::: pull-quote " + quote.position);
        });
        item.appendChild(choose);
        list.appendChild(item);
      });
      into.appendChild(list);
    });
  }

  function embed() {
    openPanel(t("Insert an embed"), function (into) {
      var label = document.createElement("label");
      label.textContent = t("Address (YouTube, Vimeo, Bluesky, Mastodon, X, or a PDF) ");
      var input = document.createElement("input");
      input.type = "url";
      input.className = "vTextField blocks-insert-url";
      input.placeholder = "https://";
      label.appendChild(input);
      into.appendChild(label);
      var message = document.createElement("p");
      message.className = "blocks-insert-message";
      message.setAttribute("aria-live", "polite");
      var insert = document.createElement("button");
      insert.type = "button";
      insert.className = "button default";
      insert.textContent = t("Insert embed");
      function go() {
        var url = input.value.trim();
        if (!/^https:\/\/\S+$/.test(url)) {
          message.textContent = t("Paste the https address of the video, post or document.");
          input.focus();
          return;
        }
        panel.hidden = true;
        insertBlock("::: embed " + url);
      }
      insert.addEventListener("click", go);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); go(); }
      });
      into.appendChild(insert);
      into.appendChild(message);
    });
  }

  var chooser = desk.dataset.pictureChooser;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A search of the library as you type: calls show(picture, button) for each result.
  function librarySearch(into, show) {
    var label = element("label", "blocks-insert-search-label", t("Find in the picture library "));
    var input = element("input", "vTextField blocks-insert-search");
    input.type = "search";
    input.placeholder = t("Alt text, caption or credit");
    label.appendChild(input);
    into.appendChild(label);
    var status = element("p", "blocks-insert-message");
    status.setAttribute("aria-live", "polite");
    var results = element("ul", "blocks-insert-results");
    var more = element("button", "button blocks-insert-more", t("More pictures"));
    more.type = "button";
    more.hidden = true;
    into.appendChild(status);
    into.appendChild(results);
    into.appendChild(more);
    var asked = 0;
    var page = 1;
    var timer = null;

    function run(next) {
      var ticket = ++asked;
      page = next ? page + 1 : 1;
      var address = chooser + "?q=" + encodeURIComponent(input.value.trim()) + "&page=" + page;
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) {
          if (ticket !== asked) return;
          if (!answer.ok) {
            status.textContent = answer.data.error || t("The library could not be searched.");
            return;
          }
          if (!next) results.textContent = "";
          answer.data.results.forEach(function (picture) {
            var item = element("li");
            var button = element("button", "blocks-insert-picture");
            button.type = "button";
            button.dataset.pictureId = picture.id;
            if (picture.thumbnail) {
              var image = element("img");
              image.src = picture.thumbnail;
              image.alt = "";
              image.width = 96;
              if (picture.width && picture.height) image.height = Math.round(96 * picture.height / picture.width);
              button.appendChild(image);
            }
            button.appendChild(element("span", "", picture.id + ". " + picture.label + (picture.credit ? " (" + picture.credit + ")" : "")));
            if (picture.needs_alt) button.appendChild(element("strong", "picture-needs-alt", " " + t("No alt text yet")));
            show(picture, button);
            item.appendChild(button);
            results.appendChild(item);
          });
          more.hidden = !answer.data.more;
          var count = results.children.length;
          status.textContent = count
            ? t(count === 1 ? "{count} picture" : "{count} pictures").replace("{count}", count) + (answer.data.more ? t(", more below") : "")
            : t("No picture matches.");
        })
        .catch(function () {
          if (ticket === asked) status.textContent = t("The library could not be searched; try again.");
        });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); run(false); }
    });
    more.addEventListener("click", function () { run(true); });
    run(false);
    return input;
  }

  function quoted(caption) {
    return '"' + caption.replace(/[\\"]/g, "\\$&") + '"';
  }

  function picture() {
    openPanel(t("Insert a picture"), function (into) {
      var options = element("div", "blocks-insert-options");
      var sizeLabel = element("label", "", t("Size "));
      var size = element("select", "blocks-insert-size");
      [["inline", t("Inline (the text's width)")], ["wide", t("Wide")], ["full", t("Full width")]].forEach(function (entry) {
        var option = element("option", "", entry[1]);
        option.value = entry[0];
        size.appendChild(option);
      });
      sizeLabel.appendChild(size);
      var captionLabel = element("label", "", t("Caption (optional, instead of the library's) "));
      var caption = element("input", "vTextField blocks-insert-caption");
      caption.type = "text";
      caption.maxLength = 500;
      captionLabel.appendChild(caption);
      options.appendChild(sizeLabel);
      options.appendChild(captionLabel);
      into.appendChild(options);
      librarySearch(into, function (found, button) {
        button.addEventListener("click", function () {
          var line = "::: picture " + found.id;
          if (size.value !== "inline") line += " " + size.value;
          var words = caption.value.trim().split(/\s+/).join(" ");
          if (words) line += " " + quoted(words);
          panel.hidden = true;
          insertBlock(line);
        });
      });
    });
  }

  function gallery() {
    openPanel(t("Insert a gallery"), function (into) {
      var chosen = [];
      var summary = element("p", "blocks-insert-chosen");
      summary.setAttribute("aria-live", "polite");
      var insert = element("button", "button default blocks-insert-gallery", t("Insert gallery"));
      insert.type = "button";
      function update() {
        summary.textContent = chosen.length
          ? t("Chosen, in this order: ") + chosen.map(function (p) { return p.id; }).join(", ")
          : t("Choose two pictures or more, in the order readers will see them.");
        insert.disabled = chosen.length < 2;
        panel.querySelectorAll(".blocks-insert-picture").forEach(function (button) {
          var picked = chosen.some(function (p) { return String(p.id) === button.dataset.pictureId; });
          button.setAttribute("aria-pressed", picked ? "true" : "false");
        });
      }
      librarySearch(into, function (found, button) {
        button.setAttribute("aria-pressed", chosen.some(function (p) { return p.id === found.id; }) ? "true" : "false");
        button.addEventListener("click", function () {
          var at = chosen.findIndex(function (p) { return p.id === found.id; });
          if (at >= 0) chosen.splice(at, 1); else chosen.push(found);
          update();
        });
      });
      insert.addEventListener("click", function () {
        if (chosen.length < 2) return;
        panel.hidden = true;
        insertBlock("::: gallery " + chosen.map(function (p) { return p.id; }).join(" "));
      });
      into.appendChild(summary);
      into.appendChild(insert);
      update();
    });
  }

  var toolbar = document.createElement("div");
  toolbar.className = "desk-toolbar blocks-insert";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", t("Insert"));
  toolbar.setAttribute("aria-controls", body.id);
  var caption = document.createElement("span");
  caption.className = "blocks-insert-label";
  caption.textContent = t("Insert:");
  toolbar.appendChild(caption);
  [
    ["Pull quote", pullQuote],
    ["Embed", embed],
    ["Picture", chooser ? picture : null],
    ["Gallery", chooser ? gallery : null],
  ].forEach(function (entry) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = t(entry[0]);
    if (entry[1]) {
      button.addEventListener("click", entry[1]);
    } else {
      button.disabled = true;
      button.title = t("You may not search the media library. Type “::: {kind} 12” with a picture number.").replace("{kind}", entry[0].toLowerCase());
    }
    toolbar.appendChild(button);
  });
  body.parentNode.insertBefore(toolbar, body);
  body.parentNode.insertBefore(panel, body);
})();
