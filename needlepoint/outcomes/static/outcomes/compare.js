// Before/after overlay: the range input clips the top (after) photo from the right; a
// second range sets its opacity. Style changes go through the CSSOM, which the CSP allows.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var top = document.getElementById("overlay-top");
    var slider = document.getElementById("overlay-slider");
    var opacity = document.getElementById("overlay-opacity");
    var box = document.getElementById("overlay");
    if (!top || !slider || !box) { return; }
    function clip() {
      var value = Number(slider.value);
      top.style.clipPath = "inset(0 " + (100 - value) + "% 0 0)";
      box.setAttribute("data-split", String(value));
      slider.setAttribute("aria-valuetext", value + "% of the after photo shown");
    }
    function fade() {
      if (opacity) { top.style.opacity = String(Number(opacity.value) / 100); }
    }
    slider.addEventListener("input", clip);
    if (opacity) { opacity.addEventListener("input", fade); }
    clip();
    fade();
  });
})();
