"""Delivering one answer late, to test what a page does with a request that is overtaken."""

import contextlib

from playwright.sync_api import APIResponse, Page, Route


class FirstAnswerHeld:
    """Holds the first request to `url_glob`: the server answers it at once, the page gets that
    answer only at `deliver()`. Later requests go through."""

    def __init__(self, page: Page, url_glob: str):
        self.page = page
        self.first: Route | None = None
        self.answer: APIResponse | None = None
        page.route(url_glob, self._handle)

    def _handle(self, route: Route) -> None:
        # The first is marked before its answer is fetched: a second request can reach this
        # handler while that fetch waits (a loaded machine), and it must go through, not be
        # held as well and never answered.
        if self.first is not None:
            route.continue_()
            return
        self.first = route
        self.answer = route.fetch()

    def deliver(self) -> None:
        assert self.first is not None, "the request was never made"
        for _ in range(50):  # its answer may still be on its way from the server
            if self.answer is not None:
                break
            self.page.wait_for_timeout(100)
        with contextlib.suppress(Exception):  # the page gave up on it, as it should
            self.first.fulfill(response=self.answer)
