"""JSON responses that never contain NaN (it is not valid JSON): ``null`` instead."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

from partnernet.formatting import json_safe

__all__ = ["SafeJSONResponse"]


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(json_safe(content), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")
