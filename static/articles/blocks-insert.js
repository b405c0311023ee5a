/*
 * The "Insert" toolbar above the article body (see articles/blocks): puts a block line at
 * the cursor, on a line of its own, as an editor would type it:
 *   ::: pull-quote 2            one of this article's quotes (the rows of the form below)
 *   ::: embed https://…         a video, post or PDF by its address
 *   ::: picture 12 wide         a library picture, and ::: gallery 12 14 15
 * Pictures and galleries are offered once the media library gives the form a chooser
 * (data-picture-chooser on #desk); until then the buttons say why they are off.
 * Plain JavaScript, no dependencies; without it the editor types the same lines.
 */
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  var form = desk && desk.closest("form");
  var body = form && form.elements.body;
  if (!body) return;

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
    close.className = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { panel.hidden = true; body.focus(); });
    panel.appendChild(close);
    panel.hidden = false;
    var first = panel.querySelector("input, button");
    if (first) first.focus();
  }

  function pullQuote() {
    openPanel("Insert a pull quote", function (into) {
      var quotes = formQuotes();
      if (!quotes.length) {
        var none = document.createElement("p");
        none.textContent = "This article has no quotes yet: add one under “Quotes” below, with its position.";
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
    openPanel("Insert an embed", function (into) {
      var label = document.createElement("label");
      label.textContent = "Address (YouTube, Vimeo, Bluesky, Mastodon, X, or a PDF) ";
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
      insert.textContent = "Insert embed";
      function go() {
        var url = input.value.trim();
        if (!/^https:\/\/\S+$/.test(url)) {
          message.textContent = "Paste the https address of the video, post or document.";
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

  var toolbar = document.createElement("div");
  toolbar.className = "desk-toolbar blocks-insert";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Insert");
  toolbar.setAttribute("aria-controls", body.id);
  var caption = document.createElement("span");
  caption.className = "blocks-insert-label";
  caption.textContent = "Insert:";
  toolbar.appendChild(caption);
  [
    ["Pull quote", pullQuote],
    ["Embed", embed],
    ["Picture", null],
    ["Gallery", null],
  ].forEach(function (entry) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = entry[0];
    if (entry[1]) {
      button.addEventListener("click", entry[1]);
    } else if (!chooser) {
      button.disabled = true;
      button.title = "The media library is not available yet. Type “::: " + entry[0].toLowerCase() + " 12” with a picture number.";
    }
    toolbar.appendChild(button);
  });
  body.parentNode.insertBefore(toolbar, body);
  body.parentNode.insertBefore(panel, body);
})();
