/* The header navigation (decision 0503).
 *
 * Phone (below 40rem): a "Menu" button shows or hides the whole nav. The button starts
 * hidden in the HTML and this file reveals it, so without JavaScript the nav is simply shown.
 * "More": a <details> that opens and closes without JavaScript; here Escape closes it (focus
 * back on its summary), and so does a click or focus elsewhere on the page.
 */
(function () {
  "use strict";

  function setUpMenuButton(header) {
    var button = header.querySelector(".menu-toggle");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!button || !nav) return;
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.setAttribute("data-menu", open ? "open" : "closed");
    }
    show(false);
    button.hidden = false;
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      // Escape inside the open phone menu closes it, unless a More list takes it first.
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (button.getAttribute("aria-expanded") !== "true" || button.offsetParent === null) return;
      show(false);
      button.focus();
    });
  }

  function setUpMore(details) {
    var summary = details.querySelector("summary");
    function close(returnFocus) {
      if (!details.open) return;
      details.open = false;
      if (returnFocus && summary) summary.focus();
    }
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        event.preventDefault();
        close(true);
      }
    });
    document.addEventListener("click", function (event) {
      if (!details.contains(event.target)) close(false);
    });
    document.addEventListener("focusin", function (event) {
      if (!details.contains(event.target)) close(false);
    });
  }

  function start() {
    var header = document.querySelector(".site-header");
    if (!header) return;
    setUpMenuButton(header);
    Array.prototype.forEach.call(header.querySelectorAll("details.nav-more-details"), setUpMore);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
