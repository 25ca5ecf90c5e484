"""``session.local``: a namespace private to each session."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["LocalNamespace"]


class LocalNamespace:
    """Attributes that belong to one session; a name never set reads ``None``.

    Supports ``name in local``, iteration over names and ``local._dict`` (the
    underlying dict), as PyWebIO's ``local`` does.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_dict", {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._dict.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._dict[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self._dict[name]
        except KeyError:
            raise AttributeError(f"session.local has no attribute {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        return self._dict[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._dict[name] = value

    def __delitem__(self, name: str) -> None:
        del self._dict[name]

    def __contains__(self, name: object) -> bool:
        return name in self._dict

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._dict))

    def __len__(self) -> int:
        return len(self._dict)

    def __repr__(self) -> str:
        return f"<session.local {self._dict!r}>"
