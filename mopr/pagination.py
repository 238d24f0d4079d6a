"""Pagination for registers that grow for years.

Django's ``Paginator`` counts every matching row to print "page 1 of N": at a million entries that count
alone is a fifth of a second on every page. ``CappedPaginator`` counts at most ``cap`` rows (``SELECT COUNT(*)
FROM (… LIMIT cap + 1)``), so the page costs the same for 2 000 entries as for 2 000 000; past the cap the page
says "more than 1 000" and asks the user to narrow the filters.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

REGISTER_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = REGISTER_COUNT_CAP if cap is None else cap

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @property
    def truncated(self) -> bool:
        """More rows match than were counted."""
        return self._capped_count > self.cap
