"""Idempotency-Key handling for writes replayed from the offline outbox (DESIGN.md §5).

Follows draft-ietf-httpapi-idempotency-key-header: the same key with the same request gets the
first answer; the same key with another request is 422; a key whose first request is still
running is 409 (a distinct problem type, not a revision conflict). Without a session such a
request gets 401 JSON, never a login page, so the outbox keeps the op and asks for a login.
"""

import hashlib
import json
import uuid

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse

from .models import AppliedOp

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = [
    "HX-Trigger", "HX-Retarget", "HX-Reswap", "HX-Redirect", "Location", "X-Conflict-Location"
]  # fmt: skip
PROBLEM = "application/problem+json"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def problem(status: int, kind: str, title: str) -> JsonResponse:
    body = {"type": f"/problems/{kind}", "title": title, "status": status}
    return JsonResponse(body, status=status, content_type=PROBLEM)


def fingerprint(request) -> str:
    """What makes two requests "the same": method, path and form fields, not the CSRF token
    (it is read from the cookie at send time and changes with a new login)."""
    fields = sorted(
        (name, values) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
    )
    files = sorted((name, f.name, f.size) for name, f in request.FILES.items())
    raw = json.dumps([request.method, request.path, fields, files], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_key = request.headers.get(HEADER)
        if raw_key is None or request.method not in UNSAFE:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return problem(401, "login-required", "Log in again; the change is kept.")
        try:
            key = uuid.UUID(raw_key)
        except ValueError:
            return problem(400, "bad-idempotency-key", "Idempotency-Key must be a UUID.")
        request_print = fingerprint(request)
        op = AppliedOp.objects.for_user(request.user).filter(key=key).first()
        if op is not None:
            return self.replay(op, request_print)
        # The write and its ledger row commit together: a crash leaves neither, so the retry is
        # simply a first try. A duplicate racing this one waits for the lock (SQLite) or fails
        # on the unique key (PostgreSQL) and is told to try again.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    op = AppliedOp.objects.create(
                        user=request.user, key=key, fingerprint=request_print,
                        method=request.method, path=request.path[:500],
                    )  # fmt: skip
            except IntegrityError:
                return problem(409, "idempotency-in-progress", "This change is being applied.")
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # nothing of a failed write stays
            else:
                self.record(op, response)
        return response

    @staticmethod
    def replay(op: AppliedOp, request_print: str) -> HttpResponse:
        if op.fingerprint != request_print:
            return problem(422, "idempotency-key-reused", "This key was used for another change.")
        if not op.done:
            return problem(409, "idempotency-in-progress", "This change is being applied.")
        response = HttpResponse(bytes(op.body), status=op.status, content_type=op.content_type)
        for name, value in op.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response

    @staticmethod
    def record(op: AppliedOp, response: HttpResponse) -> None:
        # 401 and 403 (a lost session or CSRF token) are worth trying again: forget the key.
        if response.status_code in (401, 403):
            op.delete()
            return
        op.done = True
        op.status = response.status_code
        op.content_type = response.get("Content-Type", "")
        op.headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
        op.body = b"" if response.streaming else response.content
        op.save(update_fields=["done", "status", "content_type", "headers", "body"])
