"""Invoiced's official Python SDK (``invoiced`` 3.0) on the resources facturare carries beyond Invoiced's API reference:
customer chasing cadences, members and roles (issue 11, item 5). Their shapes come from invoiced-go (its types and
the example cadence in its tests) and Invoiced's Customer Chasing guide; the SDK gives the paths and the verbs.

Where the SDKs disagree with each other, the test says so:
- invoiced-go 2.x lists cadences at ``/chasing_cadences``; ``invoiced`` 3.0 (and invoiced-ruby, invoiced-php) call
  them customer chasing cadences at ``/customer_chasing_cadences``. The spec follows the newer SDKs; the object is
  still ``chasing_cadence``.
- invoiced-go offers only list and retrieve on roles; ``invoiced`` 3.0 offers create, update and delete too.
"""

from __future__ import annotations

import invoiced
import pytest

from tests.e2e.sdk.conftest import Sdk

STEPS = [
    {"name": "Primul email", "action": "email", "schedule": "past_due_age:0", "email_template_id": "reamintire_1"},
    {"name": "Apel", "action": "phone", "schedule": "past_due_age:14"},
]


def test_customer_chasing_cadence_lifecycle(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    cadence = client.CustomerChasingCadence.create(
        name="Cadenta standard", frequency="day_of_month", run_date=7, time_of_day=7, min_balance=100, steps=STEPS
    )
    # a new cadence runs and has nobody enrolled; each step gets an id of its own
    assert (cadence.object, cadence.name, cadence.paused, cadence.num_customers) == (
        "chasing_cadence",
        "Cadenta standard",
        False,
        0,
    )
    assert [(step["name"], step["schedule"]) for step in cadence.steps] == [
        ("Primul email", "past_due_age:0"),
        ("Apel", "past_due_age:14"),
    ]
    step_ids = [step["id"] for step in cadence.steps]
    assert all(isinstance(i, int) for i in step_ids) and len(set(step_ids)) == 2
    assert cadence.created_at > 0 and cadence.assignment_mode == "none"

    cadences, meta = client.CustomerChasingCadence.list()
    assert meta.total_count == 1 and [c.id for c in cadences] == [cadence.id]

    cadence.paused = True
    assert cadence.save()  # PATCH {paused: true}
    again = client.CustomerChasingCadence.retrieve(cadence.id)
    assert again.paused is True and again.name == "Cadenta standard" and again.min_balance == 100
    assert [step["id"] for step in again.steps] == step_ids  # an update without steps keeps them

    assert again.delete()
    with pytest.raises(invoiced.errors.InvalidRequestError) as missing:
        client.CustomerChasingCadence.retrieve(cadence.id)
    assert missing.value.status_code == 404


def test_a_cadence_without_steps_or_with_an_odd_schedule_is_refused(invoiced_sdk: Sdk) -> None:
    with pytest.raises(invoiced.errors.InvalidRequestError) as refused:
        invoiced_sdk.client.CustomerChasingCadence.create(name="Goala")
    assert refused.value.status_code == 400 and "steps" in str(refused.value)
    # a step's schedule is `<basis>:<days>` (`past_due_age:0` in invoiced-go's example)
    odd = [{"name": "Maine", "action": "email", "schedule": "tomorrow"}]
    with pytest.raises(invoiced.errors.InvalidRequestError) as refused:
        invoiced_sdk.client.CustomerChasingCadence.create(name="Ciudata", steps=odd)
    assert refused.value.status_code == 400 and refused.value.error["param"] == "steps.0.schedule"
    assert invoiced_sdk.client.CustomerChasingCadence.list()[1].total_count == 0


def test_roles_and_members(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    role = client.Role.create(id="contabil", name="Contabil")
    generated = client.Role.create(name="Vanzari")
    assert (role.id, role.name) == ("contabil", "Contabil")
    assert isinstance(generated.id, str) and generated.id  # a string id, generated when none is given
    roles, meta = client.Role.list()
    assert meta.total_count == 2 and {r.id for r in roles} == {"contabil", generated.id}

    # invoiced-go's MemberRequest names the user flat; the member answers with it under ``user``
    member = client.Member.create(
        email="ion.popescu@facturare.md", first_name="Ion", last_name="Popescu", role="contabil"
    )
    assert member.role == "contabil" and member.restriction_mode == "none"
    assert (member.user["email"], member.user["first_name"], member.user["last_name"]) == (
        "ion.popescu@facturare.md",
        "Ion",
        "Popescu",
    )
    members, meta = client.Member.list()
    assert meta.total_count == 1 and members[0].user["email"] == "ion.popescu@facturare.md"

    member.role = generated.id
    assert member.save()
    moved = client.Member.retrieve(member.id)
    assert moved.role == generated.id and moved.user["email"] == "ion.popescu@facturare.md"

    role.name = "Contabil sef"
    assert role.save() and client.Role.retrieve("contabil").name == "Contabil sef"

    assert moved.delete() and role.delete()
    assert client.Member.list()[1].total_count == 0
    assert [r.id for r in client.Role.list()[0]] == [generated.id]
    with pytest.raises(invoiced.errors.InvalidRequestError) as missing:
        client.Role.retrieve("contabil")
    assert missing.value.status_code == 404


def test_a_member_needs_an_email(invoiced_sdk: Sdk) -> None:
    with pytest.raises(invoiced.errors.InvalidRequestError) as refused:
        invoiced_sdk.client.Member.create(first_name="Ion", role="contabil")
    assert refused.value.status_code == 400 and "email" in str(refused.value)


def test_the_new_resources_need_the_key(invoiced_sdk: Sdk) -> None:
    for resource in (invoiced_sdk.bad.CustomerChasingCadence, invoiced_sdk.bad.Member, invoiced_sdk.bad.Role):
        with pytest.raises(invoiced.errors.AuthenticationError) as denied:
            resource.list()
        assert denied.value.status_code == 401
