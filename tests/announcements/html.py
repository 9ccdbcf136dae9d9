"""A small CSS-selector view of a page for assertions on the part that matters (lxml and cssselect2, which the
portal's PDF stack already brings)."""

from __future__ import annotations

import cssselect2
from lxml import html as lxml_html


class Node:
    def __init__(self, wrapper: cssselect2.ElementWrapper):
        self._wrapper = wrapper

    @property
    def text(self) -> str:
        return self._wrapper.etree_element.text_content()

    @property
    def parent(self) -> Node:
        return Node(self._wrapper.parent)

    def __getitem__(self, name: str) -> str:
        return self._wrapper.etree_element.get(name)

    def select(self, css: str) -> list[Node]:
        return [Node(found) for found in self._wrapper.query_all(css)]

    def select_one(self, css: str) -> Node | None:
        found = self._wrapper.query(css)
        return Node(found) if found is not None else None


def page(content: bytes) -> Node:
    root = lxml_html.fromstring(content.decode())
    return Node(cssselect2.ElementWrapper.from_html_root(root))
