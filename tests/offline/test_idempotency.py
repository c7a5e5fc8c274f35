import uuid

from django.test import Client
from pytest_django.asserts import assertContains

from journal.models import Entry
from offline.models import AppliedOp
from tests.conftest import HTMX


def create(client, key, **fields):
    data = {"date": "2026-11-23", "title": "電車で書いた", "body": "オフラインの下書き"} | fields
    return client.post("/entries/new/", data, headers={**HTMX, "Idempotency-Key": str(key)})


def test_a_replayed_key_gets_the_first_answer_and_writes_once(client):
    key = uuid.uuid4()
    first = create(client, key)
    again = create(client, key)
    assert Entry.objects.count() == 1
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again["HX-Trigger"] == first["HX-Trigger"]
    assert again["Idempotent-Replayed"] == "true"
    assert AppliedOp.objects.get().done


def test_a_replayed_edit_bumps_the_revision_once(client, entry):
    key = uuid.uuid4()
    data = {"title": entry.title, "body": "再送される編集", "base_revision": 1}
    headers = {**HTMX, "Idempotency-Key": str(key)}
    for _ in range(3):
        r = client.post(f"/entries/{entry.uuid}/edit/", data, headers=headers)
        assert r.status_code == 200
    entry.refresh_from_db()
    assert entry.revision == 2


def test_the_same_key_for_another_change_is_422(client):
    key = uuid.uuid4()
    create(client, key)
    r = create(client, key, body="別の本文")
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["type"] == "/problems/idempotency-key-reused"
    assert Entry.objects.count() == 1


def test_a_key_still_being_applied_is_409_in_progress_not_a_conflict(client, user):
    key = uuid.uuid4()
    create(client, key)
    AppliedOp.objects.update(done=False)  # as if the first request were still running
    r = create(client, key)
    assert r.status_code == 409
    assert r.json()["type"] == "/problems/idempotency-in-progress"


def test_a_malformed_key_is_400(client):
    r = create(client, "not-a-uuid")
    assert r.status_code == 400
    assert not Entry.objects.exists()


def test_a_sync_request_without_a_session_is_401_json_not_a_login_page(user):
    r = create(Client(), uuid.uuid4())
    assert r.status_code == 401
    assert r.json()["type"] == "/problems/login-required"
    assert not Entry.objects.exists()


def test_keys_belong_to_their_user(client, other_user):
    key = uuid.uuid4()
    create(client, key)
    bob = Client()
    bob.force_login(other_user)
    r = create(bob, key, title="ボブの記事")
    assert r.status_code == 200
    assert "Idempotent-Replayed" not in r
    assert Entry.objects.filter(user=other_user, title="ボブの記事").exists()


def test_a_failed_write_leaves_nothing_and_can_be_retried(client, user, monkeypatch):
    key = uuid.uuid4()
    client.raise_request_exception = False

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Entry.objects, "create", explode)
    assert create(client, key).status_code == 500
    assert not AppliedOp.objects.exists()
    monkeypatch.undo()
    assert create(client, key).status_code == 200
    assert Entry.objects.count() == 1


def test_a_missing_csrf_token_is_not_remembered(user):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    key = uuid.uuid4()
    assert create(csrf_client, key).status_code == 403
    assert not AppliedOp.objects.exists()
    client = Client()
    client.force_login(user)
    assert create(client, key).status_code == 200


def test_requests_without_a_key_are_not_recorded(client):
    r = client.post("/entries/new/", {"date": "2026-11-23", "title": "普通の保存"})
    assert r.status_code == 302
    assert not AppliedOp.objects.exists()


def test_a_replayed_redirect_keeps_its_location(client):
    key = uuid.uuid4()
    data = {"date": "2026-11-23", "title": "フォームから"}
    headers = {"Idempotency-Key": str(key)}
    first = client.post("/entries/new/", data, headers=headers)
    again = client.post("/entries/new/", data, headers=headers)
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assertContains(client.get(again["Location"]), "フォームから")
