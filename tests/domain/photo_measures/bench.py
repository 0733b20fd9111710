"""`make bench` (photo part): measuring a 12 MP photo against decoding it plus one blur.

The parent renders a 12 MP synthetic follow-up photo and its baseline (tests' synth.py,
scaled 5x from 800 x 600), stores both as JPEG in a temporary folder, then runs the timing
in a fresh child process so that its peak memory (ru_maxrss) is the measuring's alone:

* reference: `cv2.imdecode` of the follow-up JPEG plus one `cv2.GaussianBlur` (σ = 5 px);
* measure: `measure_photo` of the decoded follow-up with five regions, aligned to the
  decoded baseline (card found, colour corrected, every figure, where spots and lines are),
  then `draw_marks`, the picture the worker stores beside it (its own time shown too).

Both are medians of a few runs, interleaved so that both see the same machine load. Aims
(issue #14): measure ≤ 30x the reference; peak memory < 1.5 GB.

Run: `NEEDLEPOINT_ENV=test .venv/bin/python -m tests.domain.photo_measures.bench`.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from needlepoint.domain.photo_measures import MeasureResult, Region
from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from needlepoint.domain.photo_measures.overlay import draw_marks
from tests.domain.photo_measures.synth import Capture, Line, Scene, Spot, capture

SCALE = 5  # 800 x 600 scene coordinates to 4000 x 3000
REGIONS = {
    "forehead": (300, 650, 1800, 450),
    "left_cheek": (250, 1150, 700, 800),
    "nose": (1100, 1150, 400, 700),
    "right_cheek": (1650, 1150, 700, 800),
    "chin": (900, 2100, 900, 450),
}
REPEAT = 3


def _render(folder: Path) -> None:
    scene = Scene(
        width=800 * SCALE,
        height=600 * SCALE,
        spots=tuple(
            Spot(x=(90 + 80 * i) * SCALE, y=(250 + 40 * (i % 3)) * SCALE, radius=6 * SCALE)
            for i in range(5)
        ),
        lines=tuple(
            Line(
                start=(100 * SCALE, (150 + 60 * i) * SCALE),
                end=(420 * SCALE, (160 + 60 * i) * SCALE),
                sigma=SCALE,
            )
            for i in range(3)
        ),
        card=tuple(
            (x * SCALE, y * SCALE) for x, y in ((560, 400), (770, 400), (770, 540), (560, 540))
        ),
    )
    shots = {
        "baseline": Capture(seed=1),
        "followup": Capture(
            seed=2, shift=(6.0 * SCALE, -4.0 * SCALE), rotation_deg=1.0, kelvin=5900
        ),
    }
    for name, shot in shots.items():
        image = capture(scene, shot)
        ok, encoded = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        (folder / f"{name}.jpg").write_bytes(encoded.tobytes())


def _vm_hwm_mb() -> float:
    # The kernel's own high-water mark of this process's memory (reset by exec, unlike
    # ru_maxrss, which keeps the parent's peak at fork).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(folder: Path) -> dict[str, float]:
    followup = np.frombuffer((folder / "followup.jpg").read_bytes(), dtype=np.uint8)
    baseline_bytes = np.frombuffer((folder / "baseline.jpg").read_bytes(), dtype=np.uint8)

    def decode(data: np.ndarray) -> np.ndarray:
        return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)

    photo, base = decode(followup), decode(baseline_bytes)
    regions = [Region(name, box) for name, box in REGIONS.items()]

    def reference() -> None:
        cv2.GaussianBlur(cv2.imdecode(followup, cv2.IMREAD_COLOR), (0, 0), 5)

    def measure() -> tuple[MeasureResult, float]:
        result = measure_photo(photo, regions=regions, baseline=Baseline(photo_id=1, image=base))
        started = time.perf_counter()
        draw_marks(photo, result.marks)
        return result, time.perf_counter() - started

    reference()
    result, _ = measure()
    reference_s, measure_s, draw_s = [], [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        reference()
        reference_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        result, drawing = measure()
        measure_s.append(time.perf_counter() - started)
        draw_s.append(drawing)
    return {
        "reference_s": statistics.median(reference_s),
        "measure_s": statistics.median(measure_s),
        "draw_s": statistics.median(draw_s),
        "spots": float(sum(len(m.spots) for m in result.marks)),
        "lines": float(sum(len(m.lines) for m in result.marks)),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "vm_hwm_mb": _vm_hwm_mb(),
        "status": str(result.status),
        "delta_e": -1.0 if (d := result.calibration.delta_e2000_mean) is None else d,
        "residual_px": -1.0
        if result.alignment.residual_px is None
        else result.alignment.residual_px,
        "pixels": float(photo.shape[0] * photo.shape[1]),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--render":
        _render(Path(sys.argv[2]))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(Path(sys.argv[2]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        # Rendering (GBs of float arrays) and measuring each get a process of their own: a
        # child forked from a big parent would report the parent's peak as its ru_maxrss.
        for step in ("--render", "--child"):
            output = subprocess.run(
                [sys.executable, "-m", "tests.domain.photo_measures.bench", step, folder],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    ratio = figures["measure_s"] / figures["reference_s"]
    print(
        f"photo measures: {figures['pixels'] / 1e6:.1f} MP follow-up aligned to its baseline, "
        f"5 regions; status {figures['status']}, ΔE2000 {figures['delta_e']:.2f}, "
        f"residual {figures['residual_px']:.2f} px"
    )
    print(
        f"decode JPEG + GaussianBlur σ=5 (median of {REPEAT}): {figures['reference_s'] * 1000:8.0f} ms"
    )
    print(
        f"measure_photo + draw_marks (median of {REPEAT}):     {figures['measure_s'] * 1000:8.0f} ms"
        f" (drawing {figures['draw_s'] * 1000:.0f} ms: {figures['spots']:.0f} spot and "
        f"{figures['lines']:.0f} line outlines)"
    )
    print(f"ratio: {ratio:.1f}x (aim ≤ 30x)")
    print(
        f"peak memory of the measuring process: {figures['peak_mb']:.0f} MB ru_maxrss, "
        f"{figures['vm_hwm_mb']:.0f} MB VmHWM (aim < 1500 MB)"
    )


if __name__ == "__main__":
    main()
