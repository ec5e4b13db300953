"""The English catalogue: complete (no empty or fuzzy entry, placeholders and markup kept, no
Chinese left in a translation), the committed .mo is the compilation of the .po, every string the
templates and Python code mark for translation is in it, and a city official who chose English
reads the main pages in English while firms' names and data stay Chinese (Chinese by default)."""

from __future__ import annotations

import ast
import gettext
import importlib
import io
import json
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Browser

import smeladder
from smeladder.accounts.models import Role
from smeladder.casework.models import CaseMessage, State
from smeladder.monitoring.actions import refresh_counts
from smeladder.screening.export import write_workbook
from smeladder.screening.models import ScreeningRun

from .test_browser import browser, shot, sign_in  # noqa: F401  (browser is a fixture)
from .test_cases_pages import file as file_case
from .test_cases_pages import w  # noqa: F401  (fixture: firms and staff; the clock is global)

PACKAGE = Path(smeladder.__file__).resolve().parent
PO = PACKAGE / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = PACKAGE / "web/templates"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sd]|%[sd]|\{[A-Za-z_]\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# -- a small reader of the .po (no third-party parser in the project) ------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    current: tuple[str, int] | None = None

    def string(text: str) -> str:
        return ast.literal_eval(text)  # a PO string is a C string: "…" with \" \\ \n escapes

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # obsolete entries do not count
            if not line:
                entry, current = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert current is not None, f"{path}:{number}: continuation without a keyword"
            kind, index = current
            value = string(line)
            if kind == "msgid":
                entry.msgid += value
            elif kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif kind == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                entry.msgstr[index] += value
        else:
            match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")', line)
            assert match, f"{path}:{number}: cannot read {raw!r}"
            kind, index, value = match.group(1), int(match.group(2) or 0), string(match.group(3))
            current = (kind, index)
            if kind == "msgid":
                entry.msgid = value
            elif kind == "msgctxt":
                entry.msgctxt = value
            elif kind == "msgid_plural":
                entry.plural = value
            else:
                entry.msgstr[index] = value
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO)


def messages(catalogue: list[Entry]) -> list[Entry]:
    return [e for e in catalogue if e.msgid]


# -- (a) complete ------------------------------------------------------------------------------


def test_the_catalogue_is_english_and_not_fuzzy(catalogue):
    header = next(e for e in catalogue if e.msgid == "")
    assert "fuzzy" not in header.flags  # msgfmt would leave a fuzzy header out of the .mo
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert len(messages(catalogue)) >= 480  # the whole UI, not a stub


def test_every_message_is_translated(catalogue):
    fuzzy = [e.msgid for e in messages(catalogue) if "fuzzy" in e.flags]
    empty = [e.msgid for e in messages(catalogue) if not all(e.msgstr.values())]
    missing_forms = [
        e.msgid for e in messages(catalogue) if e.plural is not None and sorted(e.msgstr) != [0, 1]
    ]
    assert fuzzy == [], "fuzzy entries (changed strings) — translate them and drop the flag"
    assert empty == [], "untranslated entries — run `make messages` and translate them"
    assert missing_forms == []


def test_translations_keep_placeholders_and_markup(catalogue):
    wrong = []
    for e in messages(catalogue):
        for index, text in e.msgstr.items():
            source = e.plural if index and e.plural is not None else e.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((e.msgid, text))
            if sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
                wrong.append((e.msgid, text))
    assert wrong == []


def test_translations_hold_no_chinese(catalogue):
    """A copied source string or a forgotten fragment shows up as Chinese in the English UI."""
    left = [(e.msgid, s) for e in messages(catalogue) for s in e.msgstr.values() if CJK.search(s)]
    assert left == []


def test_the_reader_sees_what_a_broken_entry_looks_like(tmp_path):
    """The checks above can fail: an empty, a fuzzy and a plural entry are read as such."""
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "共 %(n)s 条"\nmsgstr "%(n)s entries"\n\n'
        'msgid "空"\nmsgstr ""\n\n'
        'msgid "一家"\nmsgid_plural "%(n)s 家"\nmsgstr[0] "one firm"\nmsgstr[1] "%(n)s firms"\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, fuzzy, empty, plural = read_po(po)
    assert header.msgstr == {0: "Language: en\n"}
    assert "fuzzy" in fuzzy.flags and fuzzy.msgstr == {0: "%(n)s entries"}
    assert empty.msgstr == {0: ""}
    assert plural.plural == "%(n)s 家" and plural.msgstr == {0: "one firm", 1: "%(n)s firms"}


# -- (b) the committed .mo is the compilation of the .po ------------------------------------


def compiled(entries: list[Entry]) -> dict[object, str]:
    """What msgfmt puts in the .mo: translated, non-fuzzy entries, keyed as GNUTranslations
    keys its catalogue (plural forms by (msgid, n))."""
    out: dict[object, str] = {}
    for e in entries:
        if "fuzzy" in e.flags or (e.msgid and not all(e.msgstr.values())):
            continue
        if e.plural is None:
            out[e.key] = e.msgstr[0]
        else:
            out.update({(e.key, n): text for n, text in e.msgstr.items()})
    return out


def header_fields(header: str) -> dict[str, str]:
    fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
    fields.pop("POT-Creation-Date", None)  # msgfmt leaves it out of the .mo
    return fields


def test_the_mo_is_the_compiled_po(catalogue):
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    got: dict[object, str] = dict(mo._catalog)  # type: ignore[attr-defined]
    want = compiled(catalogue)
    assert header_fields(got.pop("")) == header_fields(want.pop(""))
    assert got == want
    assert mo.info()["language"] == "en"


# -- (c) every string marked for translation is in the catalogue ------------------------------

TRANSLATE = re.compile(r"""{%\s*trans(?:late)?\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b(.*?)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
SINGULAR = {"gettext", "gettext_lazy", "gettext_noop"}
LITERALS = r"""((?:"(?:[^"\\\n]|\\.)*"\s*)+)[,)]"""


def translators(source: str) -> set[str]:
    """The names a module calls gettext by: `_` and whatever it imports gettext functions as
    (an alias such as `_lazy` is not one makemessages knows, so its strings never reach the
    catalogue — this test then names them)."""
    names = {"_"} if "django.utils.translation" in source else set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {a.asname or a.name for a in node.names if a.name in SINGULAR}
    return names


def template_strings() -> dict[str, str]:
    """msgid → where, for every {% translate "…" %} and simple {% blocktranslate %} block."""
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(PACKAGE))
        for match in TRANSLATE.finditer(text):
            msgid = match.group(1) if match.group(1) is not None else match.group(2)
            found.setdefault(msgid, where)
        for options, body in BLOCK.findall(text):
            if "count" in options.split() or "{% plural" in body or "trimmed" in options:
                continue  # plural and trimmed blocks: msgids not a plain substitution
            found.setdefault(VARIABLE.sub(r"%(\1)s", body.replace("%", "%%")), where)
    return found


def python_strings() -> dict[str, str]:
    """msgid → where, for every gettext call on string literals outside the standards engine
    (its rule texts are data and stay Chinese)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "standards" or "migrations" in relative.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names = translators(text)
        if not names:
            continue
        call = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, names)) + r")\(\s*" + LITERALS)
        for match in call.finditer(text):
            # adjacent literals, maybe over several lines, are one string
            found.setdefault(ast.literal_eval(f"({match.group(1)})"), str(relative))
    return found


def test_the_scans_find_the_strings():
    strings = template_strings()
    assert strings["企业库"] == "web/templates/web/base.html"
    assert "共 %(n)s 条" in strings  # a blocktranslate with a variable
    assert len(strings) > 250
    assert python_strings()["排队"] == "screening/models.py"  # choice labels are scanned too
    imports = "from django.utils.translation import gettext, gettext_lazy as _lazy, ngettext"
    assert translators(imports) == {"_", "gettext", "_lazy"}


def test_every_template_string_is_in_the_catalogue(catalogue):
    ids = {e.msgid for e in messages(catalogue)}
    absent = {s: where for s, where in template_strings().items() if s not in ids}
    assert absent == {}, "new UI strings: run `make messages` and translate them"


def test_every_python_string_is_in_the_catalogue(catalogue):
    ids = {e.msgid for e in messages(catalogue)}
    absent = {s: where for s, where in python_strings().items() if s not in ids}
    assert absent == {}, (
        "new UI strings: run `make messages` and translate them (a string makemessages does not"
        " collect is called through an alias it does not know: use _ or gettext_lazy)"
    )


# -- (d) the pages in English when chosen, in Chinese by default ----------------------------


@pytest.fixture
def platform(firms, worked_example, city) -> dict[str, str]:
    """A small city the way officials build it: a pool with a member, a screening, counts."""
    client = Client()
    client.force_login(city)
    zhangdian, _boshan = firms
    assert client.post("/pools/", {"code": "seed", "name": "种子库", "track": "miit"}).status_code
    added = client.post(
        "/pools/seed/add/", {"firm": zhangdian.uscc, "joined_on": "2026-03-01", "reason": "推荐"}
    )
    assert added.status_code == 302
    started = client.post(
        "/screening/", {"on": "2026-05-01", "standards": ["sme_size"], "division": "3703"}
    )
    assert started.status_code == 302
    assert client.post("/dashboard/refresh/").status_code == 302
    run = ScreeningRun.objects.get()
    assert run.status == "done"
    return {
        "/": "",
        "/enterprises/": "",
        f"/enterprises/{worked_example.uscc}/": "",
        f"/self-assessment/?uscc={worked_example.uscc}": "",
        "/screening/": "",
        f"/screening/{run.pk}/": "",
        "/pools/": "",
        "/pools/seed/": "",
        "/audit/": "",
        "firm": zhangdian.name,
        "example": worked_example.name,
    }


def signed_in(city, language: str | None) -> Client:
    client = Client()
    client.force_login(city)
    if language:
        chose = client.post("/i18n/setlang/", {"language": language, "next": "/"})
        assert chose.status_code == 302
    return client


MENU = {
    "en": [">Home<", ">Enterprises<", ">Self-assessment<", ">Screening<", ">Cultivation pools<",
           ">Audit log<", ">Change password<", ">Sign out<"],
    "zh": [">首页<", ">企业库<", ">自评<", ">梯度筛选<", ">培育库<", ">审计日志<", ">修改密码<",
           ">退出登录<"],
}  # fmt: skip

#: page → strings of its own (headings, buttons, column names) in English and in Chinese
PAGES = {
    "/": (
        ["<h1>Home <small", "Gradient cultivation dashboard", "Update counts now", "title pyramid",
         "Enterprises and titles by district/county"],
        ["<h1>首页 <small", "梯度培育数据看板", "立即更新统计", "称号金字塔", "各区县企业与称号"],
    ),
    "/enterprises/": (
        ["Enterprise name or USCC", "Export to Excel", "Latest assessment", "Total: 3"],
        ["企业名称或统一社会信用代码", "导出 Excel", "最新评价", "共 3 家"],
    ),
    "profile": (
        ["Basic facts", "Yearly figures", "Amounts in 10k yuan", "Assessments", "Titles"],
        ["基本信息", "年度经营数据", "金额单位：万元", "评价结果", "称号记录"],
    ),
    "self": (
        ["Self-assessment / policy calculator", "Calculate (not saved)", "Save to registry",
         "HNTE expert scores (optional)"],
        ["自评 / 政策计算器", "计算（不保存）", "保存到企业库", "高企专家评分（可选）"],
    ),
    "/screening/": (
        ["Start a screening", "Assessment date", "Screening runs", "Start screening"],
        ["发起筛选", "评估日期", "筛选批次", "开始筛选"],
    ),
    "run": (
        ["Screening run #", "Results by standard", "Export recommendation list (Excel)",
         "Passes by district/county"],
        ["筛选批次 #", "各标准评估结果", "导出推荐名单（Excel）", "各区县通过数"],
    ),
    "/pools/": (
        ["New cultivation pool", "Code (letters, digits, hyphens)", ">Create<"],
        ["新建培育库", "代码（字母、数字、连字符）", ">建立<"],
    ),
    "/pools/seed/": (
        ["Dynamic-management alerts", "Add to pool", "Reason for adding", "Enterprises in pool: 1"],
        ["动态管理提醒", "加入培育库", "入库理由", "在库 1 家"],
    ),
    "/audit/": (
        ["<h1>Audit log", "Object type", "Old value", "New value", "Added to pool"],
        ["<h1>审计日志", "对象类型", "原值", "新值", ">入库<"],
    ),
}  # fmt: skip


def url_of(key: str, urls: list[str]) -> str:
    if key == "profile":
        return next(u for u in urls if u.startswith("/enterprises/") and u != "/enterprises/")
    if key == "self":
        return next(u for u in urls if u.startswith("/self-assessment/"))
    if key == "run":
        return next(u for u in urls if re.fullmatch(r"/screening/\d+/", u))
    return key


def page_texts(client: Client, platform: dict[str, str]) -> dict[str, str]:
    urls = [u for u in platform if u.startswith("/")]
    out = {}
    for key in PAGES:
        response = client.get(url_of(key, urls))
        assert response.status_code == 200, key
        out[key] = response.content.decode()
    return out


def test_a_city_official_who_chose_english_reads_english(platform, city):
    pages = page_texts(signed_in(city, "en"), platform)
    for key, (english, chinese) in PAGES.items():
        html = pages[key]
        assert '<html lang="en">' in html, key
        for text in MENU["en"] + english:
            assert text in html, (key, text)
        for text in MENU["zh"] + chinese:
            assert text not in html, (key, text)
    # firms' names and data are not translated
    assert platform["firm"] in pages["/enterprises/"] and platform["firm"] in pages["/pools/seed/"]
    assert platform["example"] in pages["profile"]
    assert "推荐" in pages["/pools/seed/"]  # the reason typed in


def test_the_same_pages_are_chinese_by_default(platform, city):
    pages = page_texts(signed_in(city, None), platform)
    for key, (english, chinese) in PAGES.items():
        html = pages[key]
        assert '<html lang="zh-hans">' in html, key
        for text in MENU["zh"] + chinese:
            assert text in html, (key, text)
        for text in MENU["en"] + english:
            assert text not in html, (key, text)


def test_back_to_chinese(platform, city):
    client = signed_in(city, "en")
    assert ">Enterprises<" in client.get("/enterprises/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get("/enterprises/").content.decode()
    assert ">企业库<" in html and ">Enterprises<" not in html


def test_messages_and_errors_are_english_too(platform, city):
    client = signed_in(city, "en")
    done = client.post("/dashboard/refresh/", follow=True).content.decode()
    assert "Counts updated." in done
    none = client.post("/screening/", {"on": "2026-05-01", "division": "3703"})
    assert none.status_code == 400 and "Choose at least one standard." in none.content.decode()


# -- in a real browser: the language switcher -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_switching_to_english_in_the_browser(
    live_server: Any,
    browser: Browser,  # noqa: F811 - the fixture imported above
    firms: Any,
    city: Any,
) -> None:
    refresh_counts()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, city.username)
    assert page.inner_text("header nav").split()[:2] == ["首页", "企业库"]
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # the switcher submits on change
    nav = page.inner_text("header nav")
    assert "Enterprises" in nav and "Cultivation pools" in nav and "企业库" not in nav
    page.wait_for_selector("[data-chart=pyramid] canvas")
    assert "Gradient cultivation dashboard" in page.inner_text("h1")
    shot(page, "english_dashboard")
    page.click("header nav >> text=Enterprises")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert page.inner_text("h1").startswith("Enterprises")
    assert "Export to Excel" in body and firms[0].name in body  # names stay Chinese
    shot(page, "english_enterprises")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.inner_text("h1").startswith("企业库")  # back on the same page, in Chinese
    page.close()


# -- choice labels: English on English pages, Chinese in files and stored texts ----------------


def english_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def test_an_english_case_page_shows_state_category_level_and_actions_in_english(
    w: SimpleNamespace,  # noqa: F811 - the fixture imported above
) -> None:
    case = file_case(w)  # 用工人才, submitted, handled by 张店区人社局 at the 自办 level
    client = english_client(w.hr)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Staff and talent", ">Submitted<", "Own department", ">Accept<"):
        assert text in html, text
    for text in ("用工人才", "已提交", "自办", ">受理<"):
        assert text not in html, text
    assert "招聘高级技工困难" in html  # what the firm wrote stays as written
    done = client.post(f"/cases/{case.pk}/accept/", {"note": ""}, follow=True).content.decode()
    assert "Done: Accept. The request is now: Accepted." in done
    # the firm's notification is stored text: Chinese whoever's page caused it
    message = CaseMessage.objects.get(recipient=w.firm, case=case, event__kind="accept")
    assert "用工人才" in message.title and "已受理" in message.body
    assert "Accepted" not in message.body


def test_an_english_refusal_is_one_english_sentence(
    w: SimpleNamespace,  # noqa: F811 - the fixture imported above
) -> None:
    case = file_case(w)
    refused = english_client(w.hr).post(f"/cases/{case.pk}/confirm/", {})
    assert refused.status_code == 409
    text = html_unescape(refused.content.decode())
    assert (
        f"Request #{case.pk} is “Submitted”, so “Confirm resolution” is not possible; "
        "“Confirm resolution” applies only to requests that are “Resolved”"
    ) in text
    refused = english_client(w.firm).post(f"/cases/{case.pk}/accept/", {})
    assert refused.status_code == 403
    assert (
        f"Only the handling department or officials of the area may “Accept” (request #{case.pk})"
        in html_unescape(refused.content.decode())
    )
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_the_english_excel_export_of_requests_opens_with_english_labels(
    w: SimpleNamespace,  # noqa: F811 - the fixture imported above
) -> None:
    file_case(w)
    file_case(w, category="financing", description="续贷", urgency="urgent")
    response = english_client(w.city).get("/cases/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][3:7] == (
        "Request category",
        "Urgency",
        "Status",
        "Handling level",
    )
    assert sorted(r[3:7] for r in rows[1:]) == [
        ("Financing", "Urgent", "Submitted", "Own department"),
        ("Staff and talent", "Normal", "Submitted", "Own department"),
    ]


def test_policy_files_stay_chinese_in_an_english_session(db: Any, make_user: Any) -> None:
    from smeladder.policies.interchange import excel as policy_excel
    from smeladder.policies.interchange import export_xlsx, import_policies, template_xlsx
    from smeladder.policies.models import PolicyDocument
    from tests.policies.test_workflow import policy_data

    official = make_user("city_en", Role.CITY_OFFICIAL, division_prefix="3703")
    payload = {"format": "smeladder-policies", "version": 1, "documents": [policy_data()]}
    with translation.override("en"):
        importlib.reload(policy_excel)  # as if first imported by an English request
        template = load_workbook(io.BytesIO(template_xlsx()))
        help_text = {row[0]: row[1] for row in template["说明"].iter_rows(values_only=True)}
        assert help_text["政策类别"].startswith("资金奖补、税收优惠、金融支持")
        lists = {dv.formula1 for dv in template["政策文件"].data_validations.dataValidation}
        assert '"国家级,省级,市级,区县级"' in lists
        raw = json.dumps(payload, ensure_ascii=False).encode()
        assert import_policies(official, raw, "p.json").ok
        wb = load_workbook(io.BytesIO(export_xlsx(PolicyDocument.objects.all())))
        docs = wb["政策文件"]
        header = [c.value for c in docs[1]]
        assert docs.cell(2, header.index("层级") + 1).value == "市级"
        assert docs.cell(2, header.index("政策类别") + 1).value == "资金奖补"
        docs.cell(2, header.index("文号") + 1).value = "淄工信发〔2026〕98号"
        buffer = io.BytesIO()
        wb.save(buffer)
        report = import_policies(official, buffer.getvalue(), "p.xlsx")
        assert report.ok, report.rows
    new = PolicyDocument.objects.get(doc_number="淄工信发〔2026〕98号")
    assert new.level == "city" and new.categories == ["funding"]


def test_registry_template_labels_stay_chinese_in_an_english_session(db: Any) -> None:
    from smeladder.registry.interchange import excel_layout

    with translation.override("en"):
        importlib.reload(excel_layout)  # as if first imported by an English request
        columns = {c.key: c for sheet in excel_layout.SHEETS for c in sheet.columns}
        assert excel_layout.enum_labels(columns["level"])["国家级"] == "national"
        assert excel_layout.enum_labels(columns["code"])["专精特新“小巨人”企业"] == "little_giant"
        assert "已撤销" in excel_layout.describe_values(columns["status"])
        assert "Revoked" not in excel_layout.describe_values(columns["status"])


def test_the_screening_workbook_stays_chinese_in_an_english_session(platform, city):
    run = ScreeningRun.objects.get()
    buffer = io.BytesIO()
    with translation.override("en"):
        write_workbook(run, buffer, user=city)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    help_rows = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert help_rows["计算方式"] in ("sql（数据库内集合计算）", "python（逐企业计算）")
