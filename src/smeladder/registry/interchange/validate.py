"""Validating a whole import file before anything is written.

Every record is checked completely and every problem collected (the user fixes the file once,
not once per problem). The result is a list of CleanRecords in model terms plus the problems;
the caller writes only if there is no error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from smeladder.reference import lookups

from ..identifiers import UsccStatus, check_uscc
from .coerce import Invalid, coerce, year_key
from .problems import MISSING, Problem, Severity, show_value
from .records import ABSENT, CleanRecord, Origin, SourceRecord, plain_json
from .schema import (
    ANNUAL_BY_KEY,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    EQUITY_FACT,
    GROUPS,
    MAKER_CHINA_FACTS,
    PLATFORM_SCORE_FACT,
    TITLE_FACTS,
    TOP_LEVEL_ORDER,
    Fact,
)

#: facts of each group, e.g. "flags" -> {"abnormal_operations_list": Fact(...)}
GROUP_FACTS: dict[str, dict[str, Fact]] = {
    group: {f.key: f for f in ENTERPRISE_FACTS if f.group == group} for group in GROUPS
}
TOP_FACTS: dict[str, Fact] = {f.path: f for f in ENTERPRISE_FACTS if f.group is None}
REQUIRED = tuple(f.path for f in ENTERPRISE_FACTS if f.required)


@dataclass
class Validation:
    records: list[CleanRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def _previously_accepted(codes: set[str]) -> set[str]:
    """USCCs already in the registry with a confirmed checksum failure."""
    from ..models import Enterprise

    found: set[str] = set()
    ordered = sorted(codes)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(
            Enterprise.objects.filter(uscc__in=chunk, uscc_checksum_ok=False).values_list(
                "uscc", flat=True
            )
        )
    return found


class _RecordChecker:
    """Checks one SourceRecord; problems go to the shared list."""

    def __init__(self, source: SourceRecord, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.uscc = ""
        self.checksum_failed = False

    # -- reporting -------------------------------------------------------------------------

    def _origin(self, path: str) -> Origin | None:
        origins = self.source.origins
        probe = path
        while probe:
            if probe in origins:
                return origins[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None

    def report(self, path: str, value: Any, zh: str, en: str, severity: Severity = "error") -> None:
        origin = self._origin(path)
        location, fieldname = self.source.location, path
        if origin is not None:
            location = origin.location
            fieldname = f"{origin.header} ({path})" if origin.header else path
            if origin.header and value is not MISSING:
                value = origin.raw
        self.problems.append(
            Problem(severity, location, fieldname, show_value(value), zh, en, self.uscc)
        )

    def fact(self, fact: Fact, path: str, value: Any) -> Any:
        """The checked value, or ABSENT after reporting why it is not acceptable."""
        try:
            return coerce(fact, value)
        except Invalid as exc:
            self.report(path, value, f"{fact.zh}：{exc.zh}", f"{fact.en}: {exc.en}")
            return ABSENT

    def unknown_keys(self, obj: dict, allowed: Iterable[str], prefix: str) -> bool:
        """Report keys not in the schema and keys given twice; True if there were none."""
        allowed = set(allowed)
        clean = True
        for key in obj:
            if key not in allowed:
                clean = False
                self.report(
                    f"{prefix}{key}",
                    MISSING,
                    "未知的键（拼写错误？自定义信息请放在 extra 下）",
                    "unknown key (a typo? put free-form data under extra)",
                )
        for key in getattr(obj, "duplicates", ()):
            self.report(
                f"{prefix}{key}",
                MISSING,
                "键重复出现，后一个会覆盖前一个",
                "key appears more than once; one would silently replace the other",
            )
            clean = False
        return clean

    def is_object(self, path: str, value: Any) -> bool:
        if isinstance(value, dict):
            return True
        self.report(path, value, "应为对象 {...}", "must be an object {...}")
        return False

    # -- the record ------------------------------------------------------------------------

    def check(self) -> CleanRecord | None:
        data = self.source.data
        if not isinstance(data, dict):
            self.report("", data, "企业记录应为对象 {...}", "an enterprise must be an object {...}")
            return None
        raw_uscc = data.get("uscc")
        if isinstance(raw_uscc, str):
            self.uscc = raw_uscc.strip().upper()
        clean = CleanRecord(uscc=self.uscc, location=self.source.location)
        ok = self.unknown_keys(data, TOP_LEVEL_ORDER, "")
        for path in REQUIRED:
            if data.get(path) is None:
                self.report(path, data.get(path, MISSING), "缺少必填项", "required key missing")
                ok = False
        ok &= self._top_facts(data, clean)
        ok &= self._groups(data, clean)
        ok &= self._structured(data, clean)
        return clean if ok else None

    def _top_facts(self, data: dict, clean: CleanRecord) -> bool:
        ok = True
        for path, fact in TOP_FACTS.items():
            if path not in data:
                continue
            value = self.fact(fact, path, data[path])
            if value is ABSENT:
                ok = False
                continue
            special = getattr(self, f"_check_{path}", None)
            if special is not None and value is not None:
                value = special(path, value, clean)
                if value is ABSENT:
                    ok = False
                    continue
            clean.fields[fact.column] = value
        clean.fields.pop("uscc", None)  # the identity, not a field to update
        return ok

    def _check_uscc(self, path: str, value: str, clean: CleanRecord) -> Any:
        result = check_uscc(value)
        self.uscc = clean.uscc = result.code
        if result.status is UsccStatus.BAD_FORMAT:
            self.report(path, value, result.reason_zh, result.reason_en)
            return ABSENT
        if result.status is UsccStatus.BAD_CHECKSUM:
            # Decided once the whole file is read: override, or already confirmed in the DB.
            clean.checksum_ok = False
            self.checksum_failed = True
        return result.code

    def _check_division_code(self, path: str, value: str, clean: CleanRecord) -> Any:
        status = lookups.division_status(value)
        if status is None:
            self.report(
                path,
                value,
                "未知的行政区划代码（GB/T 2260 县级代码，6位）",
                "unknown division code (GB/T 2260 county-level, 6 digits)",
            )
            return ABSENT
        if status == "historical":
            successors = lookups.division_successors(value)
            named = "、".join(f"{c} {lookups.division_name(c) or ''}".strip() for c in successors)
            self.report(
                path,
                value,
                f"区划代码已撤销（{lookups.division_name(value)}），现为：{named or '无记录'}",
                f"retired division code; successors: {', '.join(successors) or 'none recorded'}",
                severity="warning",
            )
        return value

    def _check_industry_code(self, path: str, value: str, clean: CleanRecord) -> Any:
        normalized = lookups.normalize_industry_code(value)
        if normalized is None:
            self.report(
                path,
                value,
                "不是 GB/T 4754-2017 的小类代码（如 C3484）",
                "not a GB/T 4754-2017 class code (e.g. C3484)",
            )
            return ABSENT
        return normalized

    def _groups(self, data: dict, clean: CleanRecord) -> bool:
        ok = True
        for group, facts in GROUP_FACTS.items():
            if group not in data:
                continue
            obj = data[group]
            if obj is None:
                # A null group: every fact in it becomes unknown.
                for fact in facts.values():
                    clean.fields[fact.column] = None
                continue
            if not self.is_object(group, obj):
                ok = False
                continue
            ok &= self.unknown_keys(obj, facts, f"{group}.")
            for key, fact in facts.items():
                if key not in obj:
                    continue
                value = self.fact(fact, fact.path, obj[key])
                if (
                    fact.path == "main_product.hightech_domain"
                    and isinstance(value, str)
                    and not lookups.is_hightech_leaf(value)
                ):
                    self.report(
                        fact.path,
                        value,
                        "不是《国家重点支持的高新技术领域》的末级领域代码（如 40101）",
                        "not a leaf code of the state-supported high-tech fields (e.g. 40101)",
                    )
                    value = ABSENT
                if value is ABSENT:
                    ok = False
                else:
                    clean.fields[fact.column] = value
        return ok

    def _structured(self, data: dict, clean: CleanRecord) -> bool:
        ok = True
        if "extra" in data:
            extra = data["extra"]
            if extra is None:
                clean.fields["extra"] = {}
            elif self.is_object("extra", extra):
                clean.fields["extra"] = plain_json(extra)
            else:
                ok = False
        if "annual" in data:
            ok &= self._annual(data["annual"], clean)
        per_year = (("equity_financing", EQUITY_FACT), ("platform_score", PLATFORM_SCORE_FACT))
        for key, fact in per_year:
            if key in data:
                ok &= self._per_year(key, fact, data[key], clean)
        lists = (
            ("titles", TITLE_FACTS, ("code", "level", "valid_from")),
            ("awards", AWARD_FACTS, ("level", "year", "rank")),
            ("maker_china", MAKER_CHINA_FACTS, ("year", "group")),
        )
        for key, facts, identity in lists:
            if key in data:
                ok &= self._list(key, facts, identity, data[key], clean)
        return ok

    def _years(self, key: str, obj: Any) -> tuple[list[tuple[str, int, Any]], bool]:
        """(path, year, value) for each well-formed entry of a per-year map, and whether
        every key was well-formed (bad keys are reported; good entries are still checked)."""
        if not self.is_object(key, obj):
            return [], False
        ok = True
        for dup in getattr(obj, "duplicates", ()):
            self.report(f"{key}.{dup}", MISSING, "年度重复", "year appears more than once")
            ok = False
        entries = []
        for raw_year, value in obj.items():
            path = f"{key}.{raw_year}"
            try:
                entries.append((path, year_key(raw_year), value))
            except Invalid as exc:
                self.report(path, raw_year, exc.zh, exc.en)
                ok = False
        return entries, ok

    def _annual(self, obj: Any, clean: CleanRecord) -> bool:
        if obj is None:
            clean.annual = None
            return True
        entries, ok = self._years("annual", obj)
        result: dict[int, dict[str, Any] | None] = {}
        for path, year, figures in entries:
            if figures is None:
                result[year] = None
                continue
            if not self.is_object(path, figures):
                ok = False
                continue
            ok &= self.unknown_keys(figures, ANNUAL_BY_KEY, f"{path}.")
            row: dict[str, Any] = {}
            for key, value in figures.items():
                fact = ANNUAL_BY_KEY.get(key)
                if fact is None:
                    continue  # reported by unknown_keys
                checked = self.fact(fact, f"{path}.{key}", value)
                if checked is ABSENT:
                    ok = False
                else:
                    row[fact.column] = checked
            result[year] = row
        clean.annual = result
        return ok

    def _per_year(self, key: str, fact: Fact, obj: Any, clean: CleanRecord) -> bool:
        if obj is None:
            setattr(clean, key, None)
            return True
        entries, ok = self._years(key, obj)
        result: dict[int, Any] = {}
        for path, year, value in entries:
            checked = self.fact(fact, path, value)
            if checked is ABSENT:
                ok = False
            else:
                result[year] = checked
        setattr(clean, key, result)
        return ok

    def _list(
        self, key: str, facts: tuple[Fact, ...], identity: tuple[str, ...], items: Any, clean
    ) -> bool:
        if items is None:
            setattr(clean, key, None)
            return True
        if not isinstance(items, list):
            self.report(key, items, "应为数组 [...]", "must be an array [...]")
            return False
        by_key = {f.key: f for f in facts}
        ok = True
        result: list[dict[str, Any]] = []
        seen: dict[tuple, int] = {}
        for index, item in enumerate(items):
            path = f"{key}[{index}]"
            if not self.is_object(path, item):
                ok = False
                continue
            ok &= self.unknown_keys(item, by_key, f"{path}.")
            row: dict[str, Any] = {}
            for fact in facts:
                if fact.required and item.get(fact.key) is None:
                    self.report(
                        f"{path}.{fact.key}",
                        item.get(fact.key, MISSING),
                        f"{fact.zh}：缺少必填项",
                        f"{fact.en}: required key missing",
                    )
                    ok = False
                    continue
                if fact.key in item:
                    checked = self.fact(fact, f"{path}.{fact.key}", item[fact.key])
                    if checked is ABSENT:
                        ok = False
                    else:
                        row[fact.column] = checked
            if key == "titles":
                ok &= self._title_dates(path, row)
            ident = tuple(row.get(k) for k in identity)
            if all(k in row or not by_key[k].required for k in identity):
                if ident in seen:
                    self.report(
                        path,
                        MISSING,
                        f"与 {key}[{seen[ident]}] 重复",
                        f"duplicates {key}[{seen[ident]}]",
                    )
                    ok = False
                else:
                    seen[ident] = index
            result.append(row)
        setattr(clean, key, result)
        return ok

    def _title_dates(self, path: str, row: dict[str, Any]) -> bool:
        start, end = row.get("valid_from"), row.get("valid_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.report(
                f"{path}.valid_to",
                end.isoformat(),
                "有效期止早于有效期起",
                "valid_to is before valid_from",
            )
            return False
        return True


def validate(
    records: Iterable[SourceRecord],
    *,
    accepted_checksum_failures: Iterable[str] = (),
    previously_accepted: Callable[[set[str]], set[str]] = _previously_accepted,
) -> Validation:
    """Check every record; problems are collected, never raised."""
    result = Validation()
    first_seen: dict[str, str] = {}
    checksum_failures: dict[str, str] = {}  # USCC -> location, even for records with errors
    order: dict[str, int] = {}  # location → position in the file, to report in file order
    for source in records:
        order.setdefault(source.location, len(order))
        checker = _RecordChecker(source, result.problems)
        clean = checker.check()
        uscc = checker.uscc
        if checker.checksum_failed and uscc not in checksum_failures:
            checksum_failures[uscc] = source.location
        if uscc:
            if uscc in first_seen:
                checker.report(
                    "uscc",
                    uscc,
                    f"企业重复：与 {first_seen[uscc]} 为同一统一社会信用代码",
                    f"duplicate enterprise: same USCC as {first_seen[uscc]}",
                )
                clean = None
            else:
                first_seen[uscc] = source.location
        if clean is not None:
            result.records.append(clean)
    rejected = _decide_checksums(
        result, checksum_failures, set(accepted_checksum_failures), previously_accepted
    )
    result.records = [r for r in result.records if r.uscc not in rejected]
    # Checksum decisions come last; a stable sort puts each problem beside its record's others.
    result.problems.sort(key=lambda problem: order.get(problem.location, len(order)))
    return result


def _decide_checksums(
    result: Validation,
    failures: dict[str, str],
    accepted: set[str],
    previously_accepted: Callable[[set[str]], set[str]],
) -> set[str]:
    """A USCC failing only its check digit passes with an explicit override, or when the
    registry already holds it as confirmed (the override was given then). Returns the
    rejected codes."""
    accepted = {a.strip().upper() for a in accepted}
    known = previously_accepted(set(failures) - accepted) if failures else set()
    rejected: set[str] = set()
    for uscc, location in failures.items():
        severity: Severity = "warning"
        if uscc in accepted:
            zh = "校验位不符，已按 --accept-checksum 接受"
            en = "check digit does not match; accepted by --accept-checksum"
        elif uscc in known:
            zh = "校验位不符，登记册中已确认保留"
            en = "check digit does not match; confirmed earlier in the registry"
        else:
            check = check_uscc(uscc)
            zh, en, severity = check.reason_zh, check.reason_en, "error"
            rejected.add(uscc)
        result.problems.append(Problem(severity, location, "uscc", show_value(uscc), zh, en, uscc))
    for code in sorted(accepted - set(failures)):
        result.problems.append(
            Problem(
                "warning",
                "--accept-checksum",
                "uscc",
                show_value(code),
                "文件中没有校验位不符的该代码，此项未使用",
                "no enterprise in the file has this code with a failing check digit; unused",
                code,
            )
        )
    return rejected
