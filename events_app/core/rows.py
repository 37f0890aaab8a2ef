"""Names for the two places where untyped column maps are right: at the Piccolo boundary.

Services pass typed values (Structs, frozen dataclasses); these aliases mark the few functions that
turn a Piccolo row into such a value, or gather column values for one insert or update."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A row as Piccolo's select() returns it, read once and turned into a typed value in the same module.
Row = Mapping[str, Any]
# Column name -> value for one Piccolo insert or update (keys typed Any as `Table.update()` takes
# column objects too, and `changes_of` gives this shape).
Values = dict[Any, Any]
