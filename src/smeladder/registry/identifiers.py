"""统一社会信用代码 (USCC, GB 32100) checks.

A malformed code is always rejected. A well-formed code whose check digit does not match is
*not* necessarily wrong: codes issued in the pilot regions before the national standard settled
(e.g. 91350211M00013FA1N, Xiamen) fail the GB 32100 check digit yet are real. Such a code is
accepted only when a person has confirmed it (import `--accept-checksum`), and the enterprise
then carries `uscc_checksum_ok = False`."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc


class UsccStatus(enum.Enum):
    VALID = "valid"
    BAD_CHECKSUM = "bad_checksum"  # well-formed, check digit differs: maybe a pilot-era code
    BAD_FORMAT = "bad_format"  # wrong length or characters: never a USCC


@dataclass(frozen=True)
class UsccCheck:
    code: str  # compacted (spaces/dashes removed, upper case) when the input was a string
    status: UsccStatus
    reason_zh: str = ""
    reason_en: str = ""

    @property
    def ok(self) -> bool:
        return self.status is UsccStatus.VALID


def compact_uscc(value: str) -> str:
    return stdnum_uscc.compact(value)


def check_uscc(value: str) -> UsccCheck:
    """Classify `value` as a valid USCC, one failing only its check digit, or malformed."""
    code = compact_uscc(value)
    try:
        stdnum_uscc.validate(code)
    except stdnum_errors.InvalidLength:
        return UsccCheck(
            code,
            UsccStatus.BAD_FORMAT,
            f"统一社会信用代码应为18位，实为{len(code)}位",
            f"a USCC has 18 characters, this one has {len(code)}",
        )
    except stdnum_errors.InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code[:17])
        return UsccCheck(
            code,
            UsccStatus.BAD_CHECKSUM,
            f"校验位不符（按 GB 32100 应为 {expected}）；如确认无误（如早期试点地区代码），"
            f"请使用 --accept-checksum {code}",
            f"check digit does not match (GB 32100 gives {expected}); if the code is known to "
            f"be real (e.g. a pilot-era code), use --accept-checksum {code}",
        )
    except stdnum_errors.ValidationError:
        return UsccCheck(
            code,
            UsccStatus.BAD_FORMAT,
            "格式错误：前8位应为数字，其余为数字或大写字母（不含 I、O、S、V、Z）",
            "malformed: the first 8 characters must be digits, the rest digits or capital "
            "letters other than I, O, S, V, Z",
        )
    return UsccCheck(code, UsccStatus.VALID)
