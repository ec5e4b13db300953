"""Drafting assist: read a policy's Chinese text and propose structured fields.

``propose(text)`` returns proposals only — the official confirms or corrects them in the form,
and nothing here writes to the database. It recognises:

- amounts: "100万元", "500万", "1亿元", "5000元", "一百万元" → yuan; caps ("最高不超过500万元",
  "最高", "封顶", "上限") and floors ("不低于");
- percentages: "10%", "百分之十" → 0.1;
- titles named (专精特新“小巨人”, 高新技术企业, 科技型中小企业, 单项冠军, 瞪羚…) → title codes, with
  the level (国家级/省级) and "新认定/首次认定" (granted in the 上年度) when said;
- regions: names of provinces, cities and districts → GB/T 2260 prefixes ("淄博市" → "3703",
  "张店区" → "370303"); a district name that several cities share is kept only under a city
  the text also names;
- dates: "2026年3月1日", "2026-03-01"; the application window ("申报时间 2026年3月1日至3月31日"),
  the expiry ("有效期至…", "有效期3年"), the publication date (a date line on its own);
- document number: "淄工信发〔2026〕12号" (also with [] 【】 () brackets, normalised to 〔〕);
- issuer and level (国务院/部委 → national, 省 → provincial, 市 → city, 区/县 → district);
- categories by their words (奖励/补助 → 资金奖补, 贷款/贴息 → 金融支持 …);
- support items: each sentence that grants money or a benefit becomes a proposed item with an
  eligibility from the titles it names and a benefit: fixed, formula (rate × R&D expense,
  revenue … with the cap), tiered (国家级 … 万元, 省级 … 万元) or non-monetary.

The result's ``fields`` use the keys of the policy JSON format (interchange/format.py), so a
form can be prefilled with them; ``found`` lists every recognised piece with its position in
the text, for highlighting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from .models import Category, Level

# --- numbers ---------------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "[零〇一二两三四五六七八九十百千]+"
_NUM = rf"(\d+(?:,\d{{3}})*(?:\.\d+)?|{_CN_NUM})"


def cn_number(text: str) -> Decimal:
    """Arabic or simple Chinese numerals (below 10,000): "1,200.5", "五十", "一百二十"."""
    if re.fullmatch(r"[\d,.]+", text):
        return Decimal(text.replace(",", ""))
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return Decimal(total + digit)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_AMOUNT = re.compile(rf"{_NUM}\s*(亿元|万元|千元|元|亿|万)")
_UNIT = {"亿元": 10**8, "亿": 10**8, "万元": 10**4, "万": 10**4, "千元": 10**3, "元": 1}
_CAP_BEFORE = re.compile(r"(最高不超过|最高不超|最高可达|最高|不超过|封顶|上限为?|最多)\s*$")
_FLOOR_BEFORE = re.compile(r"(不低于|不少于|最低|保底)\s*$")
_PERCENT = re.compile(rf"{_NUM}\s*[%％]|百分之({_CN_NUM}|\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Amount:
    text: str
    yuan: int | float
    start: int
    end: int
    role: str  # amount | cap | floor


def amounts(text: str) -> list[Amount]:
    """Every amount of money in the text, in yuan, with its role."""
    out = []
    for m in _AMOUNT.finditer(text):
        yuan = _plain(cn_number(m.group(1)) * _UNIT[m.group(2)])
        before = text[max(0, m.start() - 8) : m.start()]
        after = text[m.end() : m.end() + 3]
        if _CAP_BEFORE.search(before) or re.match(r"以内|以下|封顶", after):
            role = "cap"
        elif _FLOOR_BEFORE.search(before) or after.startswith("以上"):
            role = "floor"
        else:
            role = "amount"
        out.append(Amount(m.group(0), yuan, m.start(), m.end(), role))
    return out


def percentages(text: str) -> list[tuple[str, float, int]]:
    out = []
    for m in _PERCENT.finditer(text):
        number = m.group(1) or m.group(2)
        out.append((m.group(0), float(cn_number(number) / 100), m.start()))
    return out


# --- titles ----------------------------------------------------------------------------------

#: names as policies write them → title code; longer names first (科技和创新型 before 创新型)
TITLE_NAMES: tuple[tuple[str, str], ...] = (
    ("科技和创新型中小企业", "tech_innovative_sme"),
    ("专精特新“小巨人”", "little_giant"),
    ('专精特新"小巨人"', "little_giant"),
    ("专精特新小巨人", "little_giant"),
    ("“小巨人”", "little_giant"),
    ("小巨人", "little_giant"),
    ("专精特新中小企业", "specialized_sme"),
    ("专精特新企业", "specialized_sme"),
    ("创新型中小企业", "innovative_sme"),
    ("制造业单项冠军", "single_champion"),
    ("单项冠军", "single_champion"),
    ("科技型中小企业", "tech_sme"),
    ("高新技术企业", "hnte"),
    ("高企", "hnte"),
    ("瞪羚企业", "gazelle"),
    ("瞪羚", "gazelle"),
    ("独角兽企业", "unicorn"),
    ("独角兽", "unicorn"),
    ("雏鹰企业", "eaglet"),
    ("雏鹰", "eaglet"),
)
_TITLE_LEVEL = re.compile(r"(国家级|国家|省级|省|市级|市)\s*$")
_NEW = re.compile(r"(新认定|首次认定|新获评|首次获评|新入选|上年度认定|新获得)")


@dataclass(frozen=True)
class TitleMention:
    code: str
    text: str
    start: int
    level: str | None
    new: bool


def titles(text: str) -> list[TitleMention]:
    taken: list[tuple[int, int]] = []
    out: list[TitleMention] = []
    for name, code in TITLE_NAMES:
        for m in re.finditer(re.escape(name), text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            before = text[max(0, m.start() - 12) : m.start()]
            lv = _TITLE_LEVEL.search(before.replace("的", ""))
            level = None
            if lv:
                level = {"国": "national", "省": "provincial", "市": "city"}[lv.group(1)[0]]
            new = bool(_NEW.search(text[max(0, m.start() - 12) : m.end() + 6]))
            out.append(TitleMention(code, m.group(0), m.start(), level, new))
    return sorted(out, key=lambda t: t.start)


def title_expr(mentions: list[TitleMention]) -> dict[str, Any] | None:
    """One title mention → {"title": …}; several → any of them."""
    exprs = []
    for t in mentions:
        spec: dict[str, Any] = {"codes": [t.code]}
        if t.level:
            spec["levels"] = [t.level]
        if t.new:
            spec["granted_in"] = {"year": "L"}
        if {"title": spec} not in exprs:
            exprs.append({"title": spec})
    if not exprs:
        return None
    return exprs[0] if len(exprs) == 1 else {"any": exprs}


# --- pools -----------------------------------------------------------------------------------

#: names of the cultivation pools as texts write them (the demo city's codes; a deployment's own
#: pools are looked up by their names in the registry too)
POOL_NAMES: tuple[tuple[str, str], ...] = (
    ("专精特新培育库", "specialized-cultivation"),
    ("高企培育库", "hnte-cultivation"),
    ("高新技术企业培育库", "hnte-cultivation"),
    ("上市后备", "ipo-reserve"),
    ("种子企业库", "seed"),
    ("种子库", "seed"),
)


def pool_names() -> list[tuple[str, str]]:
    """(name, code) of the pools texts may name: the usual names and the registry's pools."""
    from smeladder.registry.models import Pool

    names = list(POOL_NAMES) + list(Pool.objects.values_list("name", "code"))
    return sorted(names, key=lambda nc: -len(nc[0]))


def pools(text: str, names: list[tuple[str, str]] | None = None) -> list[str]:
    out: list[str] = []
    for name, code in names if names is not None else pool_names():
        if name and name in text and code not in out:
            out.append(code)
            text = text.replace(name, "")
    return out


# --- regions ---------------------------------------------------------------------------------


@cache
def _division_names() -> list[tuple[str, list[tuple[str, str]]]]:
    """Names of current divisions, longest first, each with its (prefix, level) — several
    when different places share a name (鼓楼区)."""
    from smeladder.reference import datafiles

    by_name: dict[str, list[tuple[str, str]]] = {}
    for row in datafiles.current_division_rows():
        code, level, name = row["code"], row["level"], row["name"]
        prefix = {"province": code[:2], "prefecture": code[:4]}.get(level, code)
        by_name.setdefault(name, []).append((prefix, level))
        if level != "county" and name[-1] in "市省" and len(name) >= 3:
            by_name.setdefault(name[:-1], []).append((prefix, level))  # 淄博 for 淄博市
    return sorted(by_name.items(), key=lambda kv: -len(kv[0]))


def regions(text: str) -> list[str]:
    """Division prefixes of the places named, in order of appearance; a name several places
    share counts only inside a province or city the text also names; a city and one of its
    districts: the district (more specific) is kept."""
    hits: list[tuple[int, list[tuple[str, str]]]] = []
    taken: list[tuple[int, int]] = []
    for name, places in _division_names():
        if len(name) < 2 or name not in text:
            continue
        for m in re.finditer(re.escape(name), text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((m.start(), places))
    areas = {p for _, places in hits if len(places) == 1 for p, lv in places if lv != "county"}
    out: list[str] = []
    for _start, places in sorted(hits):
        if len(places) > 1:
            places = [pl for pl in places if any(pl[0].startswith(a) for a in areas)]
            if len(places) != 1:
                continue
        if places[0][0] not in out:
            out.append(places[0][0])
    return [p for p in out if not any(q != p and q.startswith(p) for q in out)]


# --- dates -----------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})"
)
_RANGE_SEP = re.compile(r"^\s*(至|到|—|–|-|~|～)\s*")
_WINDOW_WORDS = re.compile(
    r"(申报时间|申报期限|受理时间|申报日期|集中申报|申报期|报送时间|申报截止|截止时间|截止日期)"
)
_EXPIRY = re.compile(r"有效期(?:至|到)")
_VALID_YEARS = re.compile(rf"有效期\s*(?:为)?\s*{_NUM}\s*年")


@dataclass(frozen=True)
class DateMention:
    value: date
    start: int
    end: int


def dates(text: str) -> list[DateMention]:
    out: list[DateMention] = []
    year: int | None = None
    for m in _DATE.finditer(text):
        if m.group(4):
            y, mo, d = int(m.group(4)), int(m.group(5)), int(m.group(6))
        else:
            y = int(m.group(1)) if m.group(1) else year
            mo, d = int(m.group(2)), int(m.group(3))
            if y is None:
                continue
        try:
            value = date(y, mo, d)
        except ValueError:
            continue
        year = y  # "2026年3月1日至3月31日": the second date takes the first one's year
        out.append(DateMention(value, m.start(), m.end()))
    return out


def _window(text: str, found: list[DateMention]) -> tuple[date | None, date | None]:
    for i, dm in enumerate(found):
        context = text[max(0, dm.start - 15) : dm.start]
        if not _WINDOW_WORDS.search(context):
            continue
        if i + 1 < len(found) and _RANGE_SEP.match(text[dm.end : found[i + 1].start]):
            return dm.value, found[i + 1].value
        after = text[dm.end : dm.end + 4]
        # "即日起至2026年3月31日", "截至3月31日", "3月31日前": a deadline only
        deadline = re.search(r"(至|到)\s*$", context) or re.search(r"截止|截至", context)
        if deadline or re.match(r"\s*(前|之前|截止)", after):
            return None, dm.value
        return dm.value, None
    for dm in found:  # "…于2026年3月31日前提交" without the window words
        if re.match(r"\s*(前|之前|截止)", text[dm.end : dm.end + 4]):
            return None, dm.value
    return None, None


# --- other fields ----------------------------------------------------------------------------

_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[【（(]\s*(\d{4})\s*[〕\]】）)]\s*(\d{1,4})\s*号"
)
_ISSUER = re.compile(
    r"((?:国务院|[\u4e00-\u9fff]{2,12}?(?:省|市|区|县|自治区|自治州)?)"
    r"[\u4e00-\u9fff]{0,12}?(?:部|厅|局|委员会|委|办公室|办公厅|人民政府|管理局|总局|银行))"
    r"(?=\s*(?:\d{4}\s*年|\n|$|关于|印发))"
)
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    Category.FUNDING: ("奖励", "补助", "补贴", "奖补", "资助", "扶持资金"),
    Category.TAX: ("税", "加计扣除", "减免", "退税"),
    Category.FINANCE: ("贷款", "贴息", "融资", "担保", "上市", "股权", "保险"),
    Category.TALENT: ("人才", "博士", "安家", "引才", "毕业生"),
    Category.LAND_ENERGY: ("用地", "用能", "电价", "厂房", "土地", "能耗"),
    Category.IP: ("专利", "知识产权", "商标", "标准"),
    Category.INNOVATION: ("研发", "科技创新", "技术创新", "研究院", "实验室", "创新平台"),
    Category.MARKET: ("展会", "出口", "开拓市场", "首台", "市场开拓"),
    Category.DIGITAL: ("数字化", "上云", "智能化", "工业互联网", "智能制造"),
}
#: what a percentage is "of", as facts
BASES: tuple[tuple[str, str], ...] = (
    ("研发费用增量", "rd_growth"),
    ("研发投入增量", "rd_growth"),
    ("研发费用", "annual.{L}.rd_expense"),
    ("研发投入", "annual.{L}.rd_expense"),
    ("主营业务收入", "annual.{L}.main_revenue"),
    ("销售收入", "annual.{L}.revenue"),
    ("营业收入", "annual.{L}.revenue"),
    ("销售额", "annual.{L}.main_revenue"),
    ("净利润", "annual.{L}.net_profit"),
)
_BENEFIT_VERBS = re.compile(r"(奖励|补助|补贴|资助|贴息|奖补|扶持|给予|减按|免征|优先)")
_SENTENCE = re.compile(r"[^。；;\n]+")


def doc_number(text: str) -> tuple[str, int] | None:
    m = _DOC_NUMBER.search(text)
    if m is None:
        return None
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号", m.start()


def level_of(issuer: str, title: str = "") -> str | None:
    """国务院/部委 → national, 省 → provincial, 市 → city, 区/县 → district (by the issuer)."""
    words = issuer or title
    national = r"国务院|^(国家|中国人民银行)|部$|总局$|^(工业和信息化部|财政部|科学技术部|商务部)"
    if re.search(national, words) and not re.search(r"省|市|区|县", words):
        return Level.NATIONAL
    if re.search(r"(区|县)(人民政府|[\u4e00-\u9fff]*局|[\u4e00-\u9fff]*委)", words):
        return Level.DISTRICT
    if re.search(r"市", words):
        return Level.CITY
    if re.search(r"省|自治区", words):
        return Level.PROVINCIAL
    return None


def categories(text: str) -> list[str]:
    scores = {c: sum(text.count(w) for w in words) for c, words in CATEGORY_WORDS.items()}
    return [c for c, n in sorted(scores.items(), key=lambda kv: -kv[1]) if n > 0]


def _title_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if 6 <= len(line) <= 120 and re.search(r"关于|办法|措施|意见|通知|细则|方案|政策", line):
            inner = re.search(r"《([^》]{4,})》", line)  # 关于印发《…》的通知: the policy is …
            return inner.group(1) if inner else line
    return ""


# --- items -----------------------------------------------------------------------------------


_ENUM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])\s*"
)
_LEVEL_LABEL = {"national": "国家级", "provincial": "省级", "city": "市级"}


def _item_name(sentence: str, mentions: list[TitleMention]) -> str:
    from smeladder.registry.models.titles import TitleCode
    from smeladder.zh_labels import zh_label

    m = re.search(r"(一次性奖励|奖励|补助|补贴|资助|贴息)", sentence)
    verb = m.group(1) if m else "支持"
    if mentions:
        t = mentions[0]
        return f"{_LEVEL_LABEL.get(t.level or '', '')}{zh_label(TitleCode, t.code)}{verb}"
    clause = re.split(r"[，,]", _ENUM.sub("", sentence.strip()))[0]
    return clause[:30]


def _benefit(sentence: str, mentions: list[TitleMention]) -> dict[str, Any] | None:
    money = amounts(sentence)
    caps = [a for a in money if a.role == "cap"]
    floors = [a for a in money if a.role == "floor"]
    plain = [a for a in money if a.role == "amount"]
    pcts = percentages(sentence)
    if pcts:
        rate = pcts[0][1]
        base = next(((w, f) for w, f in BASES if w in sentence), None)
        if base is not None:
            if base[1] == "rd_growth":
                expr: Any = {
                    "mul": [
                        rate,
                        {
                            "sub": [
                                {"fact": "annual.{L}.rd_expense"},
                                {"fact": "annual.{L-1}.rd_expense"},
                            ]
                        },
                    ]
                }
            else:
                expr = {"mul": [rate, {"fact": base[1]}]}
            benefit: dict[str, Any] = {"kind": "formula", "expr": expr}
            if caps:
                benefit["cap"] = caps[0].yuan
            if floors:
                benefit["floor"] = floors[0].yuan
            return benefit
    leveled = [t for t in mentions if t.level]
    if len(plain) >= 2 and len(leveled) >= 2:
        table = []
        for t in leveled:
            after = [a for a in plain if a.start > t.start]
            if not after:
                continue
            spec: dict[str, Any] = {"codes": [t.code], "levels": [t.level]}
            label = {"national": "国家级", "provincial": "省级", "city": "市级"}[t.level or "city"]
            table.append({"when": {"title": spec}, "amount": after[0].yuan, "label": label})
        if len(table) >= 2:
            return {"kind": "tiered", "table": table}
    if plain:
        return {"kind": "fixed", "amount": plain[0].yuan}
    if caps:
        return {"kind": "fixed", "amount": caps[0].yuan, "text": "最高"}
    if re.search(r"优先|减按|免征|绿色通道|简化", sentence):
        return {"kind": "none", "text": sentence.strip()[:60]}
    return None


def items(text: str) -> list[dict[str, Any]]:
    """One proposed item per sentence that grants something."""
    out: list[dict[str, Any]] = []
    known_pools = pool_names()
    for m in _SENTENCE.finditer(text):
        sentence = _ENUM.sub("", m.group(0).strip())
        if not _BENEFIT_VERBS.search(sentence):
            continue
        mentions = titles(sentence)
        benefit = _benefit(sentence, mentions)
        if benefit is None:
            continue
        conditions: list[Any] = []
        if benefit["kind"] == "tiered":
            conditions.append({"any": [row["when"] for row in benefit["table"]]})
        elif mentions:
            conditions.append(title_expr(mentions))
        pool_codes = pools(sentence, known_pools)
        if pool_codes:
            conditions.append({"pool": {"codes": pool_codes}})
        places = [r for r in regions(sentence) if len(r) == 6]
        if places:  # districts named in the sentence: an item for those districts only
            conditions.append({"within": [{"fact": "division_code"}, places]})
        eligibility = (
            {} if not conditions else conditions[0] if len(conditions) == 1 else {"all": conditions}
        )
        out.append(
            {
                "seq": len(out) + 1,
                "name": _item_name(sentence, mentions),
                "summary": sentence,
                "conditions_text": "",
                "eligibility": eligibility,
                "manual_conditions": [],
                "benefit": benefit,
                "auto_grant": False,
                "categories": categories(sentence)[:1],
            }
        )
    return out


# --- all together ----------------------------------------------------------------------------


def propose(text: str) -> dict[str, Any]:
    """Proposed fields of a policy document from its text (nothing is written)."""
    text = (text or "").replace("\r\n", "\n")
    fields: dict[str, Any] = {}
    found: list[dict[str, Any]] = []
    notes: list[str] = []

    title = _title_line(text)
    if title:
        fields["title"] = title
    number = doc_number(text)
    if number:
        fields["doc_number"] = number[0]
        found.append({"kind": "doc_number", "text": number[0], "at": number[1]})
    issuer_match = _ISSUER.search(text)
    if issuer_match:
        fields["issuer"] = issuer_match.group(1).strip()
    level = level_of(fields.get("issuer", ""), title)
    if level:
        fields["level"] = level

    date_list = dates(text)
    for dm in date_list:
        found.append(
            {
                "kind": "date",
                "text": text[dm.start : dm.end],
                "value": dm.value.isoformat(),
                "at": dm.start,
            }
        )
    start, end = _window(text, date_list)
    if start:
        fields["apply_from"] = start.isoformat()
    if end:
        fields["apply_to"] = end.isoformat()
    for dm in date_list:
        if _EXPIRY.search(text[max(0, dm.start - 6) : dm.start]):
            fields["expires_on"] = dm.value.isoformat()
    for dm in date_list:  # the signature date: a date alone on its line
        line_start = text.rfind("\n", 0, dm.start) + 1
        line_end = text.find("\n", dm.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
        if line == text[dm.start : dm.end].strip():
            fields["published_on"] = dm.value.isoformat()
    valid = _VALID_YEARS.search(text)
    if valid and "expires_on" not in fields and "published_on" in fields:
        years = int(cn_number(valid.group(1)))
        published = date.fromisoformat(fields["published_on"])
        try:
            expires = published.replace(year=published.year + years) - timedelta(days=1)
        except ValueError:  # 29 February
            expires = published.replace(year=published.year + years, day=28)
        fields["expires_on"] = expires.isoformat()
        notes.append(f"有效期 {years} 年，自发布日期起算，请核对施行日期。")

    head = "\n".join(filter(None, [title, fields.get("issuer", "")]))
    region_list = regions(head) or regions(text)
    if region_list:
        fields["regions"] = region_list
    cats = categories(text)
    if cats:
        fields["categories"] = cats[:3]
    for a in amounts(text):
        found.append({"kind": a.role, "text": a.text, "value": a.yuan, "at": a.start})
    for pct_text, value, at in percentages(text):
        found.append({"kind": "percent", "text": pct_text, "value": value, "at": at})
    for t in titles(text):
        found.append(
            {
                "kind": "title",
                "text": t.text,
                "value": t.code,
                "level": t.level,
                "new": t.new,
                "at": t.start,
            }
        )
    proposed_items = items(text)
    if proposed_items:
        fields["items"] = proposed_items
    else:
        notes.append("未识别出支持事项，请手工填写。")
    notes.append("以上为系统根据原文提出的建议，请逐项核对后再保存；系统不会自动发布。")
    return {"fields": fields, "found": sorted(found, key=lambda f: f["at"]), "notes": notes}
