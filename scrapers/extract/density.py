"""The article body of a page whose markup no selector knows: the element holding the most text.

A text-density method: site adapters call it when their selectors find no
body, before falling back to trafilatura; its output then goes through the
same cleaning (:func:`scrapers.extract.paragraphs.body_paragraphs`) as a known body.
"""

from __future__ import annotations

from typing import Final

from bs4 import BeautifulSoup, Tag

from scrapers.extract.paragraphs import BLOCKS, inline_text, is_furniture

# Leaf blocks whose text counts towards the density of the element holding them
DENSITY_BLOCKS: Final = ("p", "div", "li", "blockquote", "h2", "h3", "h4", "h5", "h6")
# A guessed body holds at least this much text in this many blocks; less is a banner or a footer
MIN_DENSE_CHARS: Final = 200
MIN_DENSE_BLOCKS: Final = 2
# A block more than this share of link text is a menu or a list of related items
MAX_LINK_SHARE: Final = 0.5


def densest_body(soup: BeautifulSoup) -> Tag | None:
    """The element that directly holds the most running text: the article body of a page whose
    markup no selector knows.

    Each leaf text block (``p``, a ``div`` of runs, a list item) that is not mostly link
    text and not inside site furniture adds its length to the element holding it (a list
    item to the list's holder); the best holder wins if it has enough text in enough blocks.
    """
    scores: dict[int, tuple[Tag, int, int]] = {}  # id -> holder, characters, blocks
    for block in soup.find_all(DENSITY_BLOCKS):
        if block.find(list(BLOCKS)) is not None or _inside_furniture(block):
            continue
        text = inline_text(block)
        linked = sum(len(inline_text(a)) for a in block.find_all("a"))
        holder = block.parent.parent if block.name == "li" and block.parent is not None else block.parent
        if not text or linked > len(text) * MAX_LINK_SHARE or not isinstance(holder, Tag):
            continue
        _, chars, blocks = scores.get(id(holder), (holder, 0, 0))
        scores[id(holder)] = (holder, chars + len(text), blocks + 1)
    if not scores:
        return None
    holder, chars, blocks = max(scores.values(), key=lambda entry: entry[1])
    return holder if chars >= MIN_DENSE_CHARS and blocks >= MIN_DENSE_BLOCKS else None


def _inside_furniture(element: Tag) -> bool:
    return any(isinstance(node, Tag) and is_furniture(node) for node in (element, *element.parents))
