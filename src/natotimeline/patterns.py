"""Regex builders shared by the extractors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ANY_BLANK = "[ \\t\\u00a0]+"


@dataclass(frozen=True, slots=True)
class _Chars:
    fold: bool
    space: str
    any_apostrophe: bool

    def pattern(self, ch: str) -> str:
        if ch == " ":
            return self.space
        if self.any_apostrophe and ch in "'’":
            return "['’]"
        if self.fold and ch.upper() != ch and len(ch.upper()) == 1:
            return f"[{re.escape(ch)}{re.escape(ch.upper())}]"
        return re.escape(ch)

    def first(self, ch: str) -> list[str]:
        """The literals one leading character stands for: both cases when folded, so each alternative
        starts with a literal the regex engine checks before entering it."""
        if self.pattern(ch) == f"[{re.escape(ch)}{re.escape(ch.upper())}]":
            return [re.escape(ch), re.escape(ch.upper())]
        return [self.pattern(ch)]

    def node(self, node: dict[str, Any], split_first: bool = False) -> str:
        if split_first:
            alts = [lead + self.node(sub) for ch, sub in sorted(node.items()) if ch for lead in self.first(ch)]
        else:
            alts = [self.pattern(ch) + self.node(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body


def trie_pattern(
    words: Iterable[str], fold: bool = False, *, space: str = ANY_BLANK, any_apostrophe: bool = True
) -> str:
    """One regex alternation for many literal words, sharing prefixes (longest wins).

    Python's ``re`` tries alternatives one by one; a trie keeps the scan fast
    for hundreds of words.

    With ``fold`` letters match in either case through character classes,
    which the regex engine scans much faster than ``re.IGNORECASE``. A space
    in a word matches ``space``; with ``any_apostrophe`` ' and ’ match each other.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word.lower() if fold else word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _Chars(fold, space, any_apostrophe).node(trie, split_first=fold)
