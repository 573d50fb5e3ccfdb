"""The work hierarchy as data: which record hangs below which, and through which field."""

from .hierarchy import (
    LINKS,
    TASK_TARGETS,
    Link,
    ancestor_paths,
    ancestors,
    child_links,
    descendants,
    parent_links,
)

__all__ = [
    "LINKS",
    "TASK_TARGETS",
    "Link",
    "ancestor_paths",
    "ancestors",
    "child_links",
    "descendants",
    "parent_links",
]
