// The consent step's signature pad: the patient draws with a finger, stylus or mouse
// (pointer events), and the drawing goes into the hidden field as a PNG data URL. The typed
// full name stays available (and is the only option without this file), so keyboard and
// screen-reader users can always sign.
(function () {
  "use strict";

  function start() {
    var fieldset = document.getElementById("signature-fieldset");
    if (!fieldset) { return; }
    var canvas = fieldset.querySelector("canvas");
    var hidden = document.getElementById("id_signature_drawing");
    var typed = document.getElementById("id_signature");
    var kinds = fieldset.querySelector("[data-signature-kinds]");
    var pad = fieldset.querySelector("[data-signature-pad]");
    var typedBox = fieldset.querySelector("[data-signature-typed]");
    var typedRadio = document.getElementById("id_signature_kind_typed");
    var drawnRadio = document.getElementById("id_signature_kind_drawn");
    var clear = fieldset.querySelector("[data-signature-clear]");
    if (!canvas || !canvas.getContext || !hidden || !drawnRadio || !typedRadio) { return; }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    kinds.hidden = false;

    // One way of signing on screen at a time: "type the full name" hides the pad, "draw"
    // hides the name field.
    function showKind() {
      var isDrawn = drawnRadio.checked;
      typedBox.hidden = isDrawn;
      pad.hidden = !isDrawn;
      if (typed) { typed.required = !isDrawn; }
    }

    function paintBackground() {
      // An opaque background, so the PNG reads the same on any viewer.
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111111";
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    function save() {
      hidden.value = drawn ? canvas.toDataURL("image/png") : "";
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
      drawnRadio.checked = true;
      showKind();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      event.preventDefault();
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });
    function stop(event) {
      if (!drawing) { return; }
      drawing = false;
      if (canvas.releasePointerCapture && canvas.hasPointerCapture &&
          canvas.hasPointerCapture(event.pointerId)) {
        canvas.releasePointerCapture(event.pointerId);
      }
      save();
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    clear.addEventListener("click", function () {
      paintBackground();
      drawn = false;
      save();
    });
    typedRadio.addEventListener("change", showKind);
    drawnRadio.addEventListener("change", showKind);

    paintBackground();
    // A drawing kept from a refused submission is shown again, not lost.
    if (hidden.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.addEventListener("load", function () {
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        drawn = true;
      });
      image.src = hidden.value;
    }
    showKind();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
