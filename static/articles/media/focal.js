// The focal point: a click on the picture sets the two number fields (fractions of the
// width and height) and moves the marker. Without the script, the fields are typed.
"use strict";
(function () {
  function start() {
    document.querySelectorAll("[data-focal-point]").forEach((box) => {
      const form = box.closest("form");
      const x = form.querySelector('[name="focal_x"]');
      const y = form.querySelector('[name="focal_y"]');
      const marker = box.querySelector(".focal-point-marker");
      const image = box.querySelector("img");
      if (!x || !y || !image) return;
      function place() {
        marker.hidden = false;
        marker.style.left = `${Number(x.value) * 100}%`;
        marker.style.top = `${Number(y.value) * 100}%`;
      }
      image.addEventListener("click", (event) => {
        const rect = image.getBoundingClientRect();
        const fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
        const fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
        x.value = fx.toFixed(3);
        y.value = fy.toFixed(3);
        place();
      });
      x.addEventListener("input", place);
      y.addEventListener("input", place);
      place();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
