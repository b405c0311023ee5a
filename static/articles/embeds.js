/*
 * Click-to-load embeds (see articles/embeds). The page shows a placeholder: our own copy
 * of the thumbnail, the title, the provider and a link to the original; no request goes
 * to the provider. This offers a button on each, and only when a reader presses it
 * replaces the placeholder's picture with the provider's frame (a privacy-enhanced host
 * where there is one, allowed by the Content Security Policy's frame-src).
 */
(function () {
  "use strict";
  var ALLOWED = /^https:\/\/[a-z0-9.-]+\//;

  function load(figure) {
    var src = figure.getAttribute("data-embed-frame");
    if (!src || !ALLOWED.test(src)) return;
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = figure.getAttribute("data-embed-title") || "Embedded content";
    frame.className = "embed-frame";
    var width = Number(figure.getAttribute("data-embed-width"));
    var height = Number(figure.getAttribute("data-embed-height"));
    if (width > 0 && height > 0) frame.style.aspectRatio = width + " / " + height;
    frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
    var thumbnail = figure.querySelector(".embed-thumbnail");
    if (thumbnail) {
      figure.replaceChild(frame, thumbnail);
    } else {
      figure.insertBefore(frame, figure.firstChild);
    }
    figure.classList.add("embed-loaded");
    var consent = figure.querySelector(".embed-consent");
    if (consent) consent.hidden = true;
    frame.focus();
  }

  document.querySelectorAll("figure.embed[data-embed-frame]").forEach(function (figure) {
    var consent = figure.querySelector(".embed-consent");
    var button = figure.querySelector(".embed-load");
    if (!consent || !button) return;
    consent.hidden = false;
    button.addEventListener("click", function () { load(figure); });
  });
})();
