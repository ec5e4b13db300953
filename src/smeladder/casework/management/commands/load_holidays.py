"""smeladder load_holidays FILE.json [--check] — enter the holiday arrangement of a year the
calendar package does not know yet, from the State Council's notice (国务院办公厅关于某年部分节假日
安排的通知). The file holds one year (an object) or several (a list of them):

    {
      "year": 2027,
      "notice": "国办发明电〔2026〕N号",
      "festivals": [
        {"name": "元旦", "holidays": ["2027-01-01..2027-01-03"], "workdays": []},
        {"name": "春节", "holidays": ["YYYY-MM-DD..YYYY-MM-DD"], "workdays": ["YYYY-MM-DD"]},
        … 清明节, 劳动节, 端午节, 中秋节, 国庆节 (or one entry "国庆节、中秋节")
      ]
    }

`holidays` are the days off (a date, or a range "from..to" both included), `workdays` the
make-up working days (Saturdays or Sundays). All seven festivals must be given: a year given
partially is refused, as is a year the package already knows. Loading a year again replaces it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from smeladder.casework.actions.errors import CaseworkError
from smeladder.casework.actions.holidays import load_year
from smeladder.casework.models import ArrangedDay, HolidayArrangement

ACTOR = "load_holidays"


class Refused(Exception):
    pass


def _date(text: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise Refused(f"{where}：{text!r} 不是 YYYY-MM-DD 日期") from None


def _dates(entries: Any, where: str) -> list[dt.date]:
    if not isinstance(entries, list):
        raise Refused(f"{where} 应为日期列表")
    days = []
    for entry in entries:
        first, sep, last = str(entry).partition("..")
        start = _date(first, where)
        end = _date(last, where) if sep else start
        if end < start or (end - start).days > 31:
            raise Refused(f"{where}：区间 {entry!r} 无效")
        days += [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return days


def parse_year(data: Any) -> tuple[int, str, list[ArrangedDay]]:
    """(year, notice, days) of one year's object; Refused on a malformed file."""
    if not isinstance(data, dict):
        raise Refused("每个年度应为一个 JSON 对象（year、notice、festivals）")
    year = data.get("year")
    if not isinstance(year, int):
        raise Refused(f"year 应为整数年份，而不是 {year!r}")
    festivals = data.get("festivals")
    if not isinstance(festivals, list):
        raise Refused(f"{year} 年：festivals 应为列表")
    days = []
    for festival in festivals:
        if not isinstance(festival, dict) or not str(festival.get("name", "")).strip():
            raise Refused(f"{year} 年：每个节日应有 name")
        name = str(festival["name"]).strip()
        for key, kind in (
            ("holidays", HolidayArrangement.Kind.HOLIDAY),
            ("workdays", HolidayArrangement.Kind.WORKDAY),
        ):
            days += [
                ArrangedDay(day, kind, name)
                for day in _dates(festival.get(key, []), f"{year} 年{name} {key}")
            ]
    return year, str(data.get("notice", "")), days


class Command(BaseCommand):
    help = (
        "录入日历软件包尚未包含年度的法定节假日安排 / load a year's holiday arrangement "
        "(State Council notice) from JSON"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON 文件（格式见 casework/README.md）")
        parser.add_argument(
            "--check", action="store_true", help="只检查，不写入 / validate without saving"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise CommandError(f"无法读取 {path}：{err}") from None
        except json.JSONDecodeError as err:
            raise CommandError(f"{path} 不是有效的 JSON：{err}") from None
        try:
            years = [parse_year(item) for item in (data if isinstance(data, list) else [data])]
        except Refused as err:
            raise CommandError(str(err)) from None
        try:
            # all years or none: a file is one decision
            with transaction.atomic():
                for year, notice, days in years:
                    written = load_year(year, notice, days, ACTOR)
                    self.stdout.write(f"{year} 年：{written} 天（{notice.strip()}）")
                if options["check"]:
                    transaction.set_rollback(True)
        except CaseworkError as err:
            raise CommandError(f"未录入：\n{err.message}") from None
        if options["check"]:
            self.stdout.write("检查通过，未写入 / valid, nothing saved")
