"""Readable, stable slugs for node ids."""

from __future__ import annotations

import re

from partnernet.graph.schema import name_key

__all__ = ["slugify"]

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slugify(text: str) -> str:
    """Lower-case, accent-free, hyphenated; other scripts are kept as they are.

    >>> slugify("São Paulo")
    'sao-paulo'
    >>> slugify("Quanzhou 泉州")
    'quanzhou-泉州'
    >>> slugify("  L'Hospitalet de Llobregat ")
    'l-hospitalet-de-llobregat'
    """
    return _NON_WORD.sub("-", name_key(text)).strip("-_") or "x"
