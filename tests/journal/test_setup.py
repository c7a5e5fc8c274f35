import pytest
from django.contrib.auth import get_user_model
from pytest_django.asserts import assertContains, assertRedirects

from journal.models import JournalSettings

OWNER = {"username": "owner", "password1": "長い合言葉 correct horse", "password2": ""}


def owner_data(**changes) -> dict:
    return OWNER | {"password2": OWNER["password1"]} | changes


@pytest.mark.parametrize("url", ["/", "/days/2026-11-23/", "/settings/", "/accounts/login/"])
def test_it_leads_every_page_to_setup_while_no_user_exists(anonymous_client, url):
    r = anonymous_client.get(url)
    assertRedirects(r, "/setup/", fetch_redirect_response=False)


def test_it_shows_the_owner_form(anonymous_client):
    r = anonymous_client.get("/setup/")
    assertContains(r, "<html")
    assertContains(r, 'name="username"')
    assertContains(r, 'name="password1"')
    assertContains(r, 'name="password2"')


def test_it_rerenders_mismatched_passwords_with_an_error(anonymous_client):
    r = anonymous_client.post("/setup/", owner_data(password2="別の合言葉 wrong horse"))
    assert r.status_code == 200
    assert r.context["form"].errors["password2"]
    assertContains(r, 'class="field-errors"')
    assert not get_user_model().objects.exists()


def test_it_creates_the_owner_with_settings_and_logs_in(anonymous_client):
    r = anonymous_client.post("/setup/", owner_data())
    assertRedirects(r, "/settings/", fetch_redirect_response=False)
    owner = get_user_model().objects.get()
    assert owner.username == "owner"
    assert owner.is_superuser
    assert owner.is_staff
    assert owner.check_password(OWNER["password1"])
    assert JournalSettings.objects.get(user=owner).weekly_target_days == 3
    assert anonymous_client.get("/settings/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_gone_once_a_user_exists(anonymous_client, user, method):
    r = getattr(anonymous_client, method)("/setup/", owner_data())
    assert r.status_code == 404
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_gone_for_the_logged_in_owner(client, method):
    r = getattr(client, method)("/setup/", owner_data())
    assert r.status_code == 404
    assert get_user_model().objects.count() == 1


def test_it_rejects_other_methods(anonymous_client):
    assert anonymous_client.put("/setup/").status_code == 405
