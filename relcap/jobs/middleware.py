"""Runs a request's inline e-mail tasks after its response has been sent (no broker only)."""

from collections.abc import Callable
from functools import partial

from django.http import HttpRequest, HttpResponse

from relcap.jobs import engine


class TasksAfterResponseMiddleware:
    """Without a broker, e-mail tasks (engine.AFTER_RESPONSE) would run inside the request and
    make, say, a password reset for a known address slower than for an unknown one. They wait
    here instead and run when the server closes the response, after its last byte was sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with engine.tasks_after_response() as pending:
            response = self.get_response(request)
        if pending:
            # Django calls these closers from HttpResponse.close(), before request_finished.
            response._resource_closers.append(partial(engine.run_all, pending))
        return response
