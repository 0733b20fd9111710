// The self-screening in short steps: one fieldset at a time, Next/Back, focus moved to the
// step's heading so keyboard and screen-reader users know where they are. Next first checks
// that step's answers and, if any is missing, stays and names them. Without this file the
// server does the same: every Next posts the form and the server answers with the step.
(function () {
  "use strict";
  var MISSING = "Please answer this question.";

  function start() {
    var form = document.getElementById("screening-form");
    if (!form) { return; }
    var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
    var labels = document.querySelectorAll("[data-step-label]");
    var finalButton = form.querySelector("[data-step-submit]");
    if (steps.length < 2) { return; }
    var current = 0;

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      Array.prototype.forEach.call(labels, function (label, i) {
        label.classList.toggle("current", i === current);
        if (i === current) { label.setAttribute("aria-current", "step"); }
        else { label.removeAttribute("aria-current"); }
      });
      if (moveFocus) {
        var heading = steps[current].querySelector("h2");
        if (heading) { heading.focus(); }
      }
    }

    function answered(question) {
      var inputs = question.querySelectorAll("input");
      for (var i = 0; i < inputs.length; i += 1) {
        var input = inputs[i];
        if (input.type === "radio" || input.type === "checkbox") {
          if (input.checked) { return true; }
        } else if (input.value.trim() !== "") {
          return true;
        }
      }
      return false;
    }

    function questionText(question) {
      var label = question.querySelector("legend, label");
      return label ? label.textContent.trim() : question.id.replace(/^q-/, "");
    }

    function clearClientErrors(step) {
      step.querySelectorAll("[data-client-error]").forEach(function (node) { node.remove(); });
      step.querySelectorAll("[data-client-invalid]").forEach(function (node) {
        node.removeAttribute("aria-invalid");
        node.removeAttribute("data-client-invalid");
      });
    }

    // Stay on the step: a summary naming each unanswered question, and a message at each.
    function refuse(step, missing) {
      var summary = document.createElement("div");
      summary.className = "error-summary";
      summary.setAttribute("role", "alert");
      summary.setAttribute("tabindex", "-1");
      summary.setAttribute("data-client-error", "");
      var title = document.createElement("h2");
      title.textContent = "Please answer " + missing.length + " question" +
        (missing.length === 1 ? "" : "s") + " before going on";
      summary.appendChild(title);
      var list = document.createElement("ul");
      missing.forEach(function (question) {
        var field = question.id.replace(/^q-/, "");
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + question.id;
        link.textContent = questionText(question) + ": " + MISSING;
        item.appendChild(link);
        list.appendChild(item);
        var control = question.querySelector("fieldset, input");
        if (control) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("data-client-invalid", "");
        }
        if (!document.getElementById("err-" + field)) {
          var message = document.createElement("p");
          message.className = "field-error";
          message.id = "err-" + field;
          message.setAttribute("data-client-error", "");
          message.textContent = MISSING;
          question.appendChild(message);
        }
      });
      summary.appendChild(list);
      var heading = step.querySelector("h2");
      heading.parentNode.insertBefore(summary, heading.nextSibling);
      summary.focus();
    }

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // A button that asks the server something (the caller search) goes as it is.
      if (submitter && submitter.hasAttribute("data-submit-now")) { return; }
      if (submitter && submitter.hasAttribute("data-step-back")) {
        event.preventDefault();
        show(current - 1, true);
        return;
      }
      var step = steps[current];
      clearClientErrors(step);
      var missing = Array.prototype.filter.call(
        step.querySelectorAll(".question[data-required]"),
        function (question) { return !answered(question); }
      );
      if (missing.length) {
        event.preventDefault();
        refuse(step, missing);
        return;
      }
      if (current < steps.length - 1) {
        event.preventDefault();
        show(current + 1, true);
        return;
      }
      // The last step: send it with its own button (not a hidden default "Next").
      if (finalButton && submitter !== finalButton) {
        event.preventDefault();
        form.requestSubmit(finalButton);
      }
    });

    // A link in the error summary opens the step that holds the field.
    document.querySelectorAll(".error-summary a").forEach(function (link) {
      link.addEventListener("click", function () {
        var target = document.querySelector(link.getAttribute("href"));
        var step = target && target.closest("section.step");
        if (step) { show(steps.indexOf(step), false); }
      });
    });
    var fromServer = parseInt(form.getAttribute("data-current-step") || "1", 10) - 1;
    show(isNaN(fromServer) ? 0 : fromServer, false);
    form.classList.add("js-steps");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
