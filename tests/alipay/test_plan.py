"""The sync plan over plain lists: adds, keeps, extras, removals and the count against the limit."""

from __future__ import annotations

from domaincheck.alipay.plan import PlanAction, compute_plan, normalize_entry
from domaincheck.core.model import ConsoleList, WhitelistEntry


def suffix_covers(entry: str, host: str) -> bool:
    """A stand-in for Alipay's registrable-domain rule: an entry covers itself and its subdomains."""
    return host == entry or host.endswith("." + entry)


def required(
    *entries: str, covers: dict[str, tuple[str, ...]] | None = None
) -> list[WhitelistEntry]:
    covers = covers or {}
    return [
        WhitelistEntry(entry=e, console_list=ConsoleList.WHITELIST, covers=covers.get(e, (e,)))
        for e in entries
    ]


def test_empty_console_adds_everything_required_in_order() -> None:
    plan = compute_plan([], required("a1.easemob.com", "a2.easemob.com"), covers=suffix_covers)
    assert plan.add == ("a1.easemob.com", "a2.easemob.com")
    assert plan.keep == plan.remove == plan.extra == ()
    assert plan.final_count == 2
    assert plan.changes == 2


def test_entries_already_there_are_kept_case_insensitively() -> None:
    plan = compute_plan(["A1.Easemob.com"], required("a1.easemob.com"), covers=suffix_covers)
    assert plan.add == ()
    assert plan.keep == ("A1.Easemob.com",)
    assert plan.changes == 0


def test_a_registrable_domain_on_the_console_covers_required_hosts_so_nothing_is_added() -> None:
    plan = compute_plan(
        ["easemob.com"],
        required("a1.easemob.com", "im-api-alipay.easemob.com"),
        covers=suffix_covers,
    )
    assert plan.add == ()
    (item,) = plan.items
    assert item.action is PlanAction.KEEP
    assert item.covers == ("a1.easemob.com", "im-api-alipay.easemob.com")
    assert "covers" in item.reason


def test_a_compact_entry_is_added_when_the_console_covers_only_part_of_it() -> None:
    compact = required("easemob.com", covers={"easemob.com": ("a1.easemob.com", "a2.easemob.com")})
    plan = compute_plan(["a1.easemob.com"], compact, covers=suffix_covers)
    assert plan.add == ("easemob.com",)
    assert plan.extra == ("a1.easemob.com",)  # made redundant, left alone without --prune
    pruned = compute_plan(["a1.easemob.com"], compact, covers=suffix_covers, prune=True)
    assert pruned.remove == ("a1.easemob.com",)
    assert pruned.target == ("easemob.com",)


def test_without_prune_unrequired_entries_stay_as_extra_and_with_prune_they_go() -> None:
    current = ["old.example.com", "a1.easemob.com"]
    plan = compute_plan(current, required("a1.easemob.com"), covers=suffix_covers)
    assert plan.extra == ("old.example.com",)
    assert plan.remove == ()
    assert plan.target == ("old.example.com", "a1.easemob.com")
    pruned = compute_plan(current, required("a1.easemob.com"), covers=suffix_covers, prune=True)
    assert pruned.remove == ("old.example.com",)
    assert pruned.target == ("a1.easemob.com",)
    assert pruned.changes == 1


def test_the_count_is_held_against_the_limit() -> None:
    wanted = required(*(f"h{i}.example{i}.com" for i in range(5)))
    plan = compute_plan(["x.org", "y.org"], wanted, covers=suffix_covers, limit=6)
    assert plan.final_count == 7
    assert plan.over_limit
    pruned = compute_plan(["x.org", "y.org"], wanted, covers=suffix_covers, limit=6, prune=True)
    assert pruned.final_count == 5
    assert not pruned.over_limit


def test_duplicate_required_entries_and_console_entries_count_once() -> None:
    plan = compute_plan(
        ["a.com", "A.com."], required("b.com", "B.COM", "a.com"), covers=suffix_covers
    )
    assert plan.add == ("b.com",)
    assert plan.keep == ("a.com",)
    assert plan.final_count == 2


def test_a_coverer_already_kept_is_preferred_so_prune_keeps_fewer() -> None:
    plan = compute_plan(
        ["x.easemob.com", "easemob.com"],
        required("easemob.com", "a.x.easemob.com"),
        covers=suffix_covers,
        prune=True,
    )
    assert plan.add == ()
    assert plan.keep == ("easemob.com",)
    assert plan.remove == ("x.easemob.com",)


def test_normalize_entry_strips_scheme_path_port_and_dot() -> None:
    assert normalize_entry(" HTTPS://Api.Example.com:443/path ") == "api.example.com"
    assert normalize_entry("example.com.") == "example.com"
