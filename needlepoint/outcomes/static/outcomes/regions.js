// Drag a region's box over the baseline photo to move it; the number inputs follow (and a
// typed number moves the box). Without this script the number inputs do everything.
(function () {
  "use strict";
  const svg = document.querySelector(".regions-preview svg");
  if (!svg) { return; }
  const input = (name, side) => document.getElementById("id_" + name + "_" + side);
  const point = (event) => {
    const p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  };
  const place = (rect) => {
    const name = rect.dataset.region;
    const values = ["x", "y", "w", "h"].map((s) => parseInt(input(name, s).value, 10));
    const drawn = values.every((v) => Number.isFinite(v));
    rect.toggleAttribute("hidden", !drawn);
    const label = svg.querySelector('text[data-region="' + name + '"]');
    if (label) { label.toggleAttribute("hidden", !drawn); }
    if (!drawn) { return; }
    rect.setAttribute("x", values[0]); rect.setAttribute("y", values[1]);
    rect.setAttribute("width", values[2]); rect.setAttribute("height", values[3]);
    if (label) { label.setAttribute("x", values[0]); label.setAttribute("y", values[1]); }
  };
  svg.querySelectorAll("rect[data-region]").forEach((rect) => {
    const name = rect.dataset.region;
    ["x", "y", "w", "h"].forEach((s) => input(name, s).addEventListener("input", () => place(rect)));
    let start = null;
    rect.addEventListener("pointerdown", (event) => {
      const p = point(event);
      start = { px: p.x, py: p.y, x: parseInt(input(name, "x").value, 10), y: parseInt(input(name, "y").value, 10) };
      rect.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    rect.addEventListener("pointermove", (event) => {
      if (!start) { return; }
      const p = point(event);
      const width = parseInt(input(name, "w").value, 10);
      const height = parseInt(input(name, "h").value, 10);
      const maxX = svg.viewBox.baseVal.width - width;
      const maxY = svg.viewBox.baseVal.height - height;
      input(name, "x").value = Math.max(0, Math.min(maxX, Math.round(start.x + p.x - start.px)));
      input(name, "y").value = Math.max(0, Math.min(maxY, Math.round(start.y + p.y - start.py)));
      place(rect);
    });
    const stop = () => { start = null; };
    rect.addEventListener("pointerup", stop);
    rect.addEventListener("pointercancel", stop);
    place(rect);
  });
})();
