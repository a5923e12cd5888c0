"""Sync against the fake gateway: dry runs change nothing, --apply takes the fewest calls, re-runs finish."""

from __future__ import annotations

import pytest

from domaincheck.alipay.errors import SyncLimitError
from domaincheck.alipay.plan import PlanAction
from domaincheck.alipay.sync import (
    ChangeStatus,
    SafeDomainApi,
    SyncOutcome,
    change_order,
    run_sync,
)
from domaincheck.core.model import ConsoleList, WhitelistEntry
from tests.alipay.conftest import ClientFactory
from tests.alipay.fake_gateway import CREATE, DELETE, QUERY, FakeAlipayGateway, Fault

REQUIRED_HOSTS = (
    "a1.easemob.com",
    "im-api-alipay.easemob.com",
    "rs.easemob.com",
    "a1-hsb.easemob.com",
    "rs.chat.agora.io",
)


def suffix_covers(entry: str, host: str) -> bool:
    return host == entry or host.endswith("." + entry)


def entries(*hosts: str) -> list[WhitelistEntry]:
    return [WhitelistEntry(h, ConsoleList.WHITELIST, (h,)) for h in hosts]


def sync(
    client: SafeDomainApi,
    *,
    apply: bool = False,
    prune: bool = False,
    limit: int = 30,
    hosts: tuple[str, ...] = REQUIRED_HOSTS,
) -> SyncOutcome:
    return run_sync(
        client, entries(*hosts), covers=suffix_covers, limit=limit, prune=prune, apply=apply
    )


def test_a_dry_run_reads_once_and_changes_nothing(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.domains[:] = ["old.example.com"]
    outcome = sync(make_client(), prune=True)
    assert not outcome.applied and outcome.changes == ()
    assert outcome.plan.add == REQUIRED_HOSTS
    assert outcome.plan.remove == ("old.example.com",)
    assert gateway.domains == ["old.example.com"]
    assert [r.method for r in gateway.requests] == [QUERY]


def test_apply_reaches_the_target_in_one_read_plus_one_call_per_change(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    client = make_client()
    outcome = sync(client, apply=True)
    assert outcome.succeeded and outcome.changed_console
    assert gateway.domains == list(REQUIRED_HOSTS)
    assert gateway.count() == 1 + len(REQUIRED_HOSTS)
    assert len(client.calls) == gateway.count()
    # Run again: already in step, one read and nothing else.
    again = sync(make_client(), apply=True)
    assert again.plan.changes == 0 and again.changes == ()
    assert gateway.count() == 2 + len(REQUIRED_HOSTS)


def test_a_registrable_domain_on_the_console_means_nothing_to_add(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.domains[:] = ["easemob.com", "agora.io"]
    outcome = sync(make_client(), apply=True)
    assert outcome.plan.add == ()
    assert gateway.count() == 1
    assert gateway.domains == ["easemob.com", "agora.io"]


def test_prune_deletes_what_is_not_required_and_only_with_prune(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.domains[:] = ["old.example.com", "a1.easemob.com"]
    sync(make_client(), apply=True, hosts=("a1.easemob.com",))
    assert gateway.domains == ["old.example.com", "a1.easemob.com"]
    outcome = sync(make_client(), apply=True, prune=True, hosts=("a1.easemob.com",))
    assert [(c.domain, c.action, c.status) for c in outcome.changes] == [
        ("old.example.com", PlanAction.REMOVE, ChangeStatus.DONE)
    ]
    assert gateway.domains == ["a1.easemob.com"]
    assert gateway.count(DELETE) == 1


def test_a_stop_half_way_then_a_rerun_finishes_without_duplicates(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    # The third create times out on every attempt: the run stops there.
    gateway.inject(Fault.timeout(), method=CREATE, after=2, times=3)
    first = sync(make_client(), apply=True)
    assert not first.succeeded
    assert first.stopped is not None and "did not answer" in first.stopped
    statuses = [c.status for c in first.changes]
    assert statuses == [ChangeStatus.DONE] * 2 + [ChangeStatus.FAILED] + [ChangeStatus.NOT_RUN] * 2
    assert gateway.domains == list(REQUIRED_HOSTS[:2])

    second = sync(make_client(), apply=True)
    assert second.succeeded
    assert second.plan.add == REQUIRED_HOSTS[2:]
    assert sorted(gateway.domains) == sorted(REQUIRED_HOSTS)
    assert len(gateway.domains) == len(set(gateway.domains))


def test_a_lost_answer_is_retried_and_already_exists_counts_as_done(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.timeout(apply_first=True), method=CREATE, after=1)
    outcome = sync(make_client(), apply=True)
    assert outcome.succeeded
    assert [c.status for c in outcome.changes][:3] == [
        ChangeStatus.DONE,
        ChangeStatus.ALREADY,
        ChangeStatus.DONE,
    ]
    assert gateway.domains == list(REQUIRED_HOSTS)


def test_a_refused_domain_fails_alone_and_the_others_go_on(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.inject(Fault.error("40004", "ICP_NOT_FILED", "域名未备案"), method=CREATE, after=1)
    outcome = sync(make_client(), apply=True)
    assert not outcome.succeeded and outcome.stopped is None
    failed = [c for c in outcome.changes if c.status is ChangeStatus.FAILED]
    assert [c.domain for c in failed] == [REQUIRED_HOSTS[1]]
    assert failed[0].message is not None and "ICP_NOT_FILED" in failed[0].message
    assert len(gateway.domains) == len(REQUIRED_HOSTS) - 1


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault.error("40006", "isv.insufficient-isv-permissions"), "40006"),
        (Fault.bad_signature(), "does not verify"),
    ],
)
def test_a_permission_error_or_a_bad_answer_stops_the_run(
    gateway: FakeAlipayGateway, make_client: ClientFactory, fault: Fault, words: str
) -> None:
    gateway.inject(fault, method=CREATE)
    outcome = sync(make_client(), apply=True)
    assert outcome.stopped is not None and words in outcome.stopped
    assert gateway.count(CREATE) == 1
    assert [c.status for c in outcome.changes][1:] == [ChangeStatus.NOT_RUN] * 4


def test_over_the_limit_nothing_is_changed(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.domains[:] = ["x.org", "y.org"]
    with pytest.raises(SyncLimitError, match="limit of 6"):
        sync(make_client(), apply=True, limit=6)
    assert gateway.count() == 1


def test_deletes_go_first_only_when_the_creates_need_the_room(
    gateway: FakeAlipayGateway, make_client: ClientFactory
) -> None:
    gateway.limit = 6
    gateway.domains[:] = ["x.org", "y.org"]
    outcome = sync(make_client(), apply=True, prune=True, limit=6)
    assert outcome.succeeded
    assert [c.action for c in outcome.changes][:2] == [PlanAction.REMOVE, PlanAction.REMOVE]
    roomy = sync(make_client(), prune=True, limit=30, hosts=("z.org",))
    assert change_order(roomy.plan)[0][0] is PlanAction.ADD
