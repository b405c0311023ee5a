/*
 * A live article's page: fetches the newest updates every few seconds with a
 * conditional request (If-None-Match: the server, or its cache, answers 304 while
 * nothing changed), and says “3 new updates” rather than moving the text under the
 * reader; a click shows them. Times are shown in the reader's own time zone.
 * Without this script the page works as it is: a reload shows the latest.
 * Its words come translated from the page (the section's data-text-* attributes: no
 * inline script under the Content Security Policy), with English where one is missing.
 */
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;
  var list = document.getElementById("live-updates");
  var notice = document.getElementById("live-notice");
  var url = live.dataset.pollUrl;
  var seconds = Math.min(Math.max(parseInt(live.dataset.pollSeconds, 10) || 20, 1), 300);
  var etag = null;
  var waiting = [];  // updates fetched, not yet shown
  var changed = {};  // id -> newer version of an update already shown
  var plurals = pluralRules(document.documentElement.lang);

  function pluralRules(lang) {
    try { return new Intl.PluralRules(lang || "en"); } catch (error) { return null; }
  }

  // The page's text for `name` (data-text-<name>), or the English `fallback`.
  function text(name, fallback) {
    var key = "text" + name.replace(/(^|-)([a-z])/g, function (_, dash, letter) {
      return letter.toUpperCase();
    });
    return live.dataset[key] || fallback;
  }

  // “3 new updates”: the page gives the singular and plural forms (“{count} new update”),
  // chosen by the page's language's plural rules, as gettext chose them for the page.
  function counted(name, count, one, other) {
    var form = (plurals ? plurals.select(count) : (count === 1 ? "one" : "other"));
    var pattern = form === "one" ? text(name + "-one", one) : text(name + "-other", other);
    return pattern.replace("{count}", count);
  }

  function localTimes(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (node) {
      var moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment)) return;
      var options = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
      if (node.dataset.localTime === "datetime") {
        options.day = "numeric"; options.month = "long"; options.year = "numeric";
      }
      node.textContent = moment.toLocaleString(undefined, options);
    });
  }

  function shownIds() {
    var ids = {};
    list.querySelectorAll("[data-update]").forEach(function (node) {
      ids[node.dataset.update] = node.dataset.version;
    });
    return ids;
  }

  function say() {
    var count = waiting.length;
    var edits = Object.keys(changed).length;
    if (!count && !edits) { notice.hidden = true; return; }
    var label = count ? counted("new", count, "{count} new update", "{count} new updates")
                      : counted("changed", edits, "{count} update changed", "{count} updates changed");
    notice.textContent = "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = label + " — " + text("show", "show");
    button.addEventListener("click", show);
    notice.appendChild(button);
    notice.hidden = false;
  }

  function show() {
    var empty = document.getElementById("live-empty");
    if (empty) empty.remove();
    for (var i = waiting.length - 1; i >= 0; i--) {
      list.insertBefore(waiting[i], list.firstChild);
    }
    Object.keys(changed).forEach(function (id) {
      var old = document.getElementById("update-" + id);
      if (old) old.replaceWith(changed[id]);
    });
    waiting = []; changed = {};
    localTimes(list);
    notice.hidden = true;
  }

  function read(html) {
    var fragment = new DOMParser().parseFromString(html, "text/html");
    var poll = fragment.getElementById("live-poll");
    if (!poll) return;
    var shown = shownIds();
    var pending = {};
    waiting.forEach(function (node) { pending[node.dataset.update] = true; });
    var fresh = [];
    poll.querySelectorAll("[data-update]").forEach(function (node) {
      var id = node.dataset.update;
      var adopted = document.importNode(node, true);
      if (!(id in shown) && !pending[id]) fresh.push(adopted);
      else if (id in shown && shown[id] !== node.dataset.version) changed[id] = adopted;
    });
    waiting = fresh.concat(waiting);
    say();
    if (poll.dataset.state !== "live") {
      live.dataset.state = poll.dataset.state;
      stop(text("ended", "Live coverage has ended. Reload the page for the summary."));
    }
  }

  var timer = null;
  function stop(message) {
    clearInterval(timer);
    var ended = document.createElement("p");
    ended.className = "meta";
    ended.textContent = message;
    notice.parentNode.insertBefore(ended, notice);
  }

  function poll() {
    if (document.hidden) return;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) return null;
        etag = response.headers.get("ETag") || etag;
        return response.text();
      })
      .then(function (html) { if (html) read(html); })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  localTimes(document);
  if (url && live.dataset.state === "live") {
    timer = setInterval(poll, seconds * 1000);
    poll();
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  }
})();
