"""Workspaces, API keys, authentication and identity (docs/reference.md#keys-and-sessions)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import pivotal_core as pc


def test_a_local_session_has_no_key_and_the_default_workspace(db: pc.Pivotal) -> None:
    me = db.me()
    assert me.object == "me" and me.api_key is None
    assert me.organization == db.workspace
    assert db.workspace.slug == "default" and db.workspace.id.startswith("org_")
    assert me.to_dict() == {"object": "me", "api_key": None, "organization": db.workspace.to_dict()}


def test_workspaces_are_isolated(db: pc.Pivotal) -> None:
    db.customers.create(name="Acme")
    globex = db.workspaces.create("Globex Corp")
    assert globex.slug == "globex-corp"
    assert db.workspaces.create("Initech", slug="initech-hq").slug == "initech-hq"
    assert [w.slug for w in db.workspaces.list()] == ["default", "globex-corp", "initech-hq"]
    assert db.workspaces.retrieve(globex.id) == db.workspaces.retrieve("globex-corp") == globex
    other = db.with_workspace("globex-corp")
    assert other.workspace == globex and other.livemode and other.actor == db.actor
    assert other.customers.list_page().data == []
    acme = other.customers.create(name="Acme")  # the slug is free in another workspace
    assert acme.display_id == 1
    with pytest.raises(pc.ConflictError) as e:
        db.workspaces.create("Globex Corp")
    assert (e.value.code, e.value.field) == ("slug_taken", "slug")
    with pytest.raises(pc.NotFoundError) as e2:
        db.with_workspace("nope")
    assert e2.value.code == "workspace_not_found"
    with pytest.raises(pc.InvalidRequestError) as e3:
        db.workspaces.create(None)  # type: ignore[arg-type]
    assert (e3.value.code, e3.value.field) == ("missing_field", "name")


def test_keys_authenticate_into_their_workspace_and_mode(db: pc.Pivotal, clock: pc.FixedClock) -> None:
    created = db.api_keys.create("sync-script")
    key = created.api_key
    assert key.object == "api_key" and key.id.startswith("key_") and key.livemode
    assert created.secret.startswith("pivotal_") and len(created.secret) == len("pivotal_") + 32
    assert key.prefix == created.secret[:12]
    assert created.secret not in repr(created)
    assert db.api_keys.list() == [key]
    assert "secret" not in key.to_dict()

    session = db.authenticate(created.secret)
    assert (session.actor, session.livemode, session.workspace) == ("sync-script", True, db.workspace)
    me = session.me()
    assert me.api_key is not None
    assert (me.api_key.id, me.api_key.name, me.api_key.prefix, me.api_key.livemode) == (
        key.id,
        "sync-script",
        key.prefix,
        True,
    )
    session.customers.create(name="Acme")
    assert [e.actor for e in db.events.list()] == ["sync-script"]

    test_key = db.with_livemode(False).api_keys.create("ci")
    assert test_key.secret.startswith("pivotal_test_") and not test_key.api_key.livemode
    test_session = db.authenticate(test_key.secret)
    assert not test_session.livemode and test_session.customers.list_page().data == []

    clock.advance(ms=1000)
    revoked = db.api_keys.revoke(key.id)
    assert revoked.revoked_at == clock.now()
    with pytest.raises(pc.AuthenticationError) as e:
        session.customers.list_page()  # revocation is effective at once
    assert (e.value.code, e.value.http_status) == ("api_key_revoked", 401)
    with pytest.raises(pc.AuthenticationError) as e2:
        db.authenticate(created.secret)
    assert e2.value.code == "api_key_revoked"


@pytest.mark.parametrize("secret", ["", "garbage", "pivotal_" + "0" * 32, "pivotal_test_" + "!" * 32])
def test_bad_secrets_are_refused(mem: pc.Pivotal, secret: str) -> None:
    with pytest.raises(pc.AuthenticationError) as e:
        mem.authenticate(secret)
    assert (e.value.type, e.value.code, e.value.field) == ("authentication_error", "invalid_api_key", None)


def test_key_errors(mem: pc.Pivotal) -> None:
    with pytest.raises(pc.NotFoundError) as e:
        mem.api_keys.revoke("key_doesnotexist0000000")
    assert e.value.code == "api_key_not_found"
    with pytest.raises(pc.InvalidRequestError) as e2:
        mem.api_keys.create("   ")
    assert (e2.value.code, e2.value.field) == ("missing_field", "name")
    with pytest.raises(pc.InvalidRequestError) as e3:
        mem.authenticate(42)  # type: ignore[arg-type]
    assert (e3.value.code, e3.value.field) == ("invalid_type", "secret")


def test_closing_closes_every_derived_session(mem: pc.Pivotal) -> None:
    secret = mem.api_keys.create("k").secret
    mem.workspaces.create("Other")
    derived = [mem.authenticate(secret), mem.with_workspace("other"), mem.with_actor("x").with_livemode(False)]
    derived[1].close()
    for handle in [mem, *derived]:
        assert handle.closed
        with pytest.raises(pc.StoreClosedError):
            handle.me()
    with pytest.raises(pc.StoreClosedError):
        mem.authenticate(secret)


def test_a_key_session_stays_in_its_workspace_mode_and_actor(mem: pc.Pivotal) -> None:
    mem.customers.create(name="Default Co")
    globex = mem.with_workspace(mem.workspaces.create("Globex").slug)
    live_key = globex.api_keys.create("globex-sync")
    test_key = mem.with_livemode(False).api_keys.create("ci")
    session = mem.authenticate(live_key.secret)
    test_session = mem.authenticate(test_key.secret)
    escapes: list[Callable[[], Any]] = [
        lambda: session.with_workspace("default"),
        lambda: session.with_livemode(False),
        lambda: session.with_actor("spoofed"),
        lambda: test_session.with_livemode(True),  # not `api_key_revoked`: the key is fine
        lambda: test_session.with_workspace("default"),
    ]
    for escape in escapes:
        with pytest.raises(pc.PermissionDeniedError) as e:
            escape()
        assert (e.value.type, e.value.code, e.value.http_status) == ("permission_error", "permission_denied", 403)
        assert "without a key" in e.value.message
    session.customers.create(name="Globex Co")
    assert [(e.actor, e.org_id) for e in session.events.list()] == [("globex-sync", globex.workspace.id)]
    assert [c.name for c in mem.customers.list()] == ["Default Co"]

    globex.api_keys.revoke(live_key.api_key.id)
    with pytest.raises(pc.PermissionDeniedError):
        session.with_workspace("default").customers.create(name="After")
    with pytest.raises(pc.AuthenticationError) as revoked:
        session.customers.create(name="After")
    assert revoked.value.code == "api_key_revoked"
    assert [c.name for c in mem.customers.list()] == ["Default Co"]
