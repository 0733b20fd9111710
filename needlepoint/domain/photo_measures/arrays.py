"""The array types the engine passes around (numpy only, so light modules can name them)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
ByteImage = npt.NDArray[np.uint8]
