"""Delivering one answer late, to test what a page does with a request that is overtaken."""

import contextlib

from playwright.sync_api import APIResponse, Page, Route


class FirstAnswerHeld:
    """Holds the first request to `url_glob`: the server answers it at once, the page gets that
    answer only at `deliver()`. Later requests go through."""

    def __init__(self, page: Page, url_glob: str):
        self.held: list[tuple[Route, APIResponse]] = []
        page.route(url_glob, self._handle)

    def _handle(self, route: Route) -> None:
        if self.held:
            route.continue_()
        else:
            self.held.append((route, route.fetch()))

    def deliver(self) -> None:
        assert self.held, "the request was never made"
        route, answer = self.held[0]
        with contextlib.suppress(Exception):  # the page gave up on it, as it should
            route.fulfill(response=answer)
