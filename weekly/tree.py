"""Items are stored flat (parent + position); pages and reports show them as nested lists."""

from dataclasses import dataclass, field

from .models import Item, ItemKind


@dataclass
class Node:
    item: Item
    depth: int
    children: list["Node"] = field(default_factory=list)


def build_tree(items: list[Item]) -> list[Node]:
    """Roots in position order, each with its children; items whose parent is missing (deleted)
    are dropped with it, as the page shows them."""
    by_parent: dict[int | None, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.position, i.id)):
        by_parent.setdefault(item.parent_id, []).append(item)

    def grow(parent_id: int | None, depth: int) -> list[Node]:
        return [
            Node(item, depth, grow(item.id, depth + 1)) for item in by_parent.get(parent_id, [])
        ]

    return grow(None, 0)


def flatten(nodes: list[Node]) -> list[Node]:
    """Pre-order: the order in which the nested list reads."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def split_sections(items: list[Item]) -> tuple[list[Node], list[Node]]:
    """(Keep tree, Problem & Try tree) of one week's live items."""
    keep = [i for i in items if i.kind == ItemKind.KEEP]
    problem = [i for i in items if i.kind != ItemKind.KEEP]
    return build_tree(keep), build_tree(problem)
