"""Registrable domains (eTLD+1) computed offline from the Public Suffix List.

Alipay matches its whitelist by registrable domain (一级域名): `easemob.com` covers
`a1.easemob.com`. The list is the copy bundled in the `publicsuffixlist` package, read on first use
and never downloaded at run time. The package's own parser builds a large dict on load (about
40 ms here), more than the start-up budget of the offline commands allows. Measured instead: a
whole-line substring search of the text costs ~0.13 ms per candidate suffix (a dozen hosts need
~130 candidates: ~17 ms), while a set of the file's raw lines takes ~2 ms to build and answers in
microseconds; so the rules are held as a set of UTF-8 lines.
"""

from __future__ import annotations

import functools
import importlib.util
import os

from domaincheck.core.errors import DomaincheckError

_DATA_FILE = "public_suffix_list.dat"
_ICANN_END = b"// ===END ICANN DOMAINS==="


class PublicSuffixListError(DomaincheckError):
    """The bundled Public Suffix List cannot be found or read."""


class PublicSuffixList:
    """A Public Suffix List held as its text, answering suffix questions by whole-line search.

    Follows the list's algorithm (publicsuffix.org/list): the matching rule with the most labels
    wins, an exception rule (`!www.ck`) beats every other, a wildcard (`*.ck`) stands for one label,
    and a name no rule matches has its last label as public suffix (the implicit `*` rule). With
    `include_private=False` only the ICANN section counts (so `github.io` is not a suffix).
    """

    def __init__(self, data: str | bytes, *, include_private: bool = True) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if not include_private:
            end = raw.find(_ICANN_END)
            if end >= 0:
                raw = raw[:end]
        # Every line, comments and blanks included: no rule can equal a comment ("//...") or "".
        if b"\r" in raw:
            raw = raw.replace(b"\r\n", b"\n")
        self._rules = frozenset(raw.split(b"\n"))
        self.version = _version_of(raw)

    @classmethod
    def from_file(cls, path: str, *, include_private: bool = True) -> PublicSuffixList:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise PublicSuffixListError(
                f"cannot read the Public Suffix List {path}: {exc}"
            ) from exc
        return cls(data, include_private=include_private)

    def _has_rule(self, rule: str) -> bool:
        return rule.encode("utf-8") in self._rules

    def public_suffix(self, host: str) -> str:
        """The public suffix of `host` (lower-case, A-label or Unicode), in the host's own form."""
        labels = host.lower().rstrip(".").split(".")
        lookup = _lookup_labels(labels)
        count = len(labels)
        # An exception rule wins over everything: its suffix is the rule minus its leftmost label.
        for i in range(count):
            if self._has_rule("!" + ".".join(lookup[i:])):
                return ".".join(labels[i + 1 :])
        for i in range(count):
            tail = ".".join(lookup[i + 1 :])
            if self._has_rule(".".join(lookup[i:])) or (tail and self._has_rule("*." + tail)):
                return ".".join(labels[i:])
        return labels[-1]

    def registrable_domain(self, host: str) -> str | None:
        """The public suffix plus one label (`chat.agora.io` → `agora.io`); None for a suffix itself."""
        labels = host.lower().rstrip(".").split(".")
        if "" in labels:
            return None
        suffix_labels = self.public_suffix(host).count(".") + 1
        if len(labels) <= suffix_labels:
            return None
        return ".".join(labels[-(suffix_labels + 1) :])

    def is_public_suffix(self, host: str) -> bool:
        """True when `host` is itself a public suffix (`com`, `co.uk`, `github.io`), so not registrable."""
        return self.registrable_domain(host) is None


def _lookup_labels(labels: list[str]) -> list[str]:
    """The labels in the list's own spelling: the list writes IDN rules in Unicode (公司.cn)."""
    if not any(label.startswith("xn--") for label in labels):
        return labels
    from domaincheck.core.domains import to_unicode

    return [to_unicode(label) if label.startswith("xn--") else label for label in labels]


def _version_of(raw: bytes) -> str:
    for line in raw[:2000].split(b"\n"):
        if line.startswith(b"// VERSION:"):
            return line.split(b":", 1)[1].strip().decode("utf-8", "replace")
    return "unknown"


def bundled_list_path() -> str:
    """Where the `publicsuffixlist` package keeps its copy of the list, found without importing it."""
    spec = importlib.util.find_spec("publicsuffixlist")
    if spec is None or spec.origin is None:
        raise PublicSuffixListError(
            "the publicsuffixlist package is not installed; reinstall domaincheck"
        )
    return os.path.join(os.path.dirname(spec.origin), _DATA_FILE)


@functools.cache
def bundled(*, include_private: bool = True) -> PublicSuffixList:
    """The bundled Public Suffix List, read once per process on first use."""
    return PublicSuffixList.from_file(bundled_list_path(), include_private=include_private)


def registrable_domain(host: str, *, include_private: bool = True) -> str | None:
    """The registrable domain (eTLD+1) of `host` from the bundled list; None when `host` is a suffix.

    Private-section suffixes count by default (`foo.github.io` is its own registrable domain), as
    in browsers; Alipay does not say which view its 一级域名 matching takes.
    """
    return bundled(include_private=include_private).registrable_domain(host)


def public_suffix(host: str, *, include_private: bool = True) -> str:
    """The public suffix of `host` from the bundled list."""
    return bundled(include_private=include_private).public_suffix(host)
