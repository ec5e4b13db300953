"""Policy import/export: the JSON format and the Excel template round-trip; a bad file is
reported by sheet, row and column (or document and path) and writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from smeladder.accounts.models import AuditEvent, Role
from smeladder.policies.actions import submit
from smeladder.policies.interchange import (
    export_json,
    export_xlsx,
    import_policies,
    template_xlsx,
    validate_document,
)
from smeladder.policies.interchange.excel import SHEET_DOCS, SHEET_HELP, SHEET_ITEMS
from smeladder.policies.interchange.validate import validate_rule
from smeladder.policies.models import PolicyDocument, Status, SupportItem

from .test_workflow import policy_data


@pytest.fixture
def city(make_user):
    return make_user("city1", Role.CITY_OFFICIAL, division_prefix="3703")


def _json(*docs) -> bytes:
    return json.dumps(
        {"format": "smeladder-policies", "version": 1, "documents": list(docs)}, ensure_ascii=False
    ).encode()


# --- validation of rule expressions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "path", "words"),
    [
        ({"all": [{"nope": 1}]}, "e.all[0].nope", "未知的运算符“nope”"),
        ({"all": [{"ge": [1]}]}, "e.all[0].ge", "应有 2 个操作数"),
        ({"title": {"codes": ["little_gaint"]}}, "e.title.codes[0]", "未知的称号代码"),
        ({"title": {"codes": ["hnte"], "levels": ["county"]}}, "e.title.levels[0]", "级别"),
        ({"title": {"codes": ["hnte"], "granted_in": "去年"}}, "e.title.granted_in", "认定年度"),
        ({"size_class": ["tiny"]}, "e.size_class[0]", "企业规模"),
        ({"pool": {"codes": []}}, "e.pool", "pool 的写法"),
        ({"within": [{"fact": "division_code"}, []]}, "e.within", "within 的写法"),
        ({"check": "rd_ratio"}, "e.check", "不能使用"),
        ({"item": "level"}, "e.item", "exists"),
        ({"mul": [0.1]}, "e.mul", "至少要有 2 个"),
        ({"year": "last"}, "e.year", "年度应写作"),
        ({"ge": [{"fact": "a"}, 1], "le": [{"fact": "a"}, 2]}, "e", "只能有一个运算符"),
        ([{"fact": "a"}], "e", "列表不能单独"),
    ],
)
def test_bad_rule_expressions_name_the_path(db, expr, path, words):
    problems = validate_rule(expr, "e")
    assert problems, expr
    assert problems[0].path == path
    assert words in problems[0].message


@pytest.mark.parametrize(
    "expr",
    [
        {},
        {"all": []},
        {"title": {"codes": ["hnte"], "granted_in": {"year": "L"}}},
        {"title": {"codes": ["little_giant"], "levels": ["national"], "granted_in": 2025}},
        {"pool": {"codes": ["seed"]}},
        {"within": [{"fact": "industry_code"}, ["C34", "C35"]]},
        {"size_class": ["small", "micro"]},
        {
            "ge": [
                {"ratio": [{"fact": "annual.{L}.rd_expense"}, {"fact": "annual.{L}.revenue"}]},
                0.05,
            ]
        },
        {
            "ge": [
                {"growth": [{"fact": "annual.{L}.revenue"}, {"fact": "annual.{L-1}.revenue"}]},
                0.1,
            ]
        },
        {"exists": {"in": "awards", "where": {"eq": [{"item": "level"}, "provincial"]}}},
        {"not": {"fact": "listed"}},
    ],
)
def test_good_rule_expressions_pass(db, expr):
    assert validate_rule(expr, "e") == []


def test_benefit_kinds_are_checked(db):
    data = policy_data()
    data["items"][0]["benefit"] = {"kind": "tiered", "table": []}
    data["items"][1]["benefit"] = {
        "kind": "formula",
        "expr": {"mul": [0.1, {"fakt": 1}]},
        "cap": 100,
        "floor": 200,
    }
    _clean, problems = validate_document(data)
    paths = {p.path for p in problems}
    assert "items[0].benefit.table" in paths
    assert "items[1].benefit.expr.mul[1].fakt" in paths
    assert "items[1].benefit.floor" in paths  # floor above cap


def test_unknown_keys_regions_and_duplicate_seq(db):
    data = policy_data(regoins=["3703"], regions=["3703", "9999", "37a"])
    data["items"][1]["seq"] = 1
    _clean, problems = validate_document(data)
    messages = {p.path: p.message for p in problems}
    assert "regoins" in messages[""]
    assert "不存在" in messages["regions[1]"]
    assert "2、4 或 6 位" in messages["regions[2]"]
    assert "重复" in messages["items[1].seq"]


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trip(db, city):
    report = import_policies(city, _json(policy_data()), "p.json")
    assert report.ok and report.created == 1
    doc = PolicyDocument.objects.get()
    assert doc.status == Status.DRAFT  # imports always go through review
    exported = json.loads(export_json(PolicyDocument.objects.all()))
    assert exported["format"] == "smeladder-policies"
    exported_doc = exported["documents"][0]
    assert exported_doc["id"] == doc.pk and exported_doc["version"] == 1
    assert exported_doc["items"][1]["benefit"]["cap"] == 5000000
    # importing the export again: same doc_number and title → the same draft, unchanged
    again = import_policies(city, export_json(PolicyDocument.objects.all()), "again.json")
    assert again.ok and again.created == 0 and again.unchanged == 1
    assert PolicyDocument.objects.count() == 1


def test_json_import_is_all_or_nothing_with_paths(db, city):
    good = policy_data(doc_number="A号")
    bad = policy_data(doc_number="B号", level="town")
    bad["items"][0]["benefit"] = {"kind": "fixed", "amount": "一百万"}
    report = import_policies(city, _json(good, bad), "p.json")
    assert not report.ok
    rows = {(r.row, r.column) for r in report.rows}
    assert (2, "level") in rows
    assert (2, "items[0].benefit.amount") in rows
    assert all(r.sheet == "JSON" for r in report.rows)
    assert PolicyDocument.objects.count() == 0
    assert SupportItem.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_import_refuses_to_touch_a_document_in_review(db, city):
    import_policies(city, _json(policy_data()), "p.json")
    doc = PolicyDocument.objects.get()
    submit(city, doc)
    changed = policy_data(expires_on="2030-12-31")
    report = import_policies(city, _json(changed), "p.json")
    assert not report.ok and "只能更新草稿" in report.rows[0].reason
    assert report.rows[0].column == "doc_number"
    doc.refresh_from_db()
    assert doc.version == 1 and doc.status == Status.REVIEW


def test_unreadable_files(db, city):
    assert "JSON 格式错误" in import_policies(city, b"{", "x.json").rows[0].reason
    assert ".json 或 .xlsx" in import_policies(city, b"a,b", "x.csv").rows[0].reason
    assert "无法读取" in import_policies(city, b"not a zip", "x.xlsx").rows[0].reason
    assert "没有政策文件" in import_policies(city, _json(), "x.json").rows[0].reason


def test_district_official_cannot_import_into_another_district(db, make_user):
    zd = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    report = import_policies(zd, _json(policy_data(owner_prefix="370304")), "p.json")
    assert not report.ok and report.rows[0].column == "owner_prefix"
    assert PolicyDocument.objects.count() == 0


# --- Excel --------------------------------------------------------------------------------


def test_template_has_the_three_sheets_and_headers(db):
    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == [SHEET_HELP, SHEET_DOCS, SHEET_ITEMS]
    headers = [c.value for c in wb[SHEET_ITEMS][1]]
    assert "金额（万元）" in headers and "申报条件（规则 JSON）" in headers
    assert wb[SHEET_DOCS].max_row == 1  # no example rows that would import by accident
    lists = {dv.formula1 for dv in wb[SHEET_DOCS].data_validations.dataValidation}
    assert '"国家级,省级,市级,区县级"' in lists
    lists = {dv.formula1 for dv in wb[SHEET_ITEMS].data_validations.dataValidation}
    assert '"固定金额,按公式,分档,非资金"' in lists


def test_xlsx_round_trip_with_wan_yuan_and_chinese_labels(db, city):
    import_policies(city, _json(policy_data()), "p.json")
    content = export_xlsx(PolicyDocument.objects.all())
    wb = load_workbook(io.BytesIO(content))
    docs = wb[SHEET_DOCS]
    header = [c.value for c in docs[1]]
    assert docs.cell(2, header.index("层级") + 1).value == "市级"
    assert docs.cell(2, header.index("政策类别") + 1).value == "资金奖补"
    items = wb[SHEET_ITEMS]
    iheader = [c.value for c in items[1]]
    assert items.cell(2, iheader.index("金额（万元）") + 1).value == 100  # 1,000,000 元
    assert items.cell(3, iheader.index("封顶（万元）") + 1).value == 500
    assert items.cell(3, iheader.index("支持方式") + 1).value == "按公式"
    # back in, as a new document (different doc number) with the same content
    docs.cell(2, header.index("文号") + 1).value = "淄工信发〔2026〕99号"
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_policies(city, buffer.getvalue(), "p.xlsx")
    assert report.ok and report.created == 1, report.rows
    new = PolicyDocument.objects.get(doc_number="淄工信发〔2026〕99号")
    old = PolicyDocument.objects.exclude(pk=new.pk).get()

    def items_of(doc: PolicyDocument) -> list[dict]:
        return json.loads(export_json([doc]))["documents"][0]["items"]

    assert items_of(new) == items_of(old)
    assert new.level == "city" and new.categories == ["funding"]


def test_xlsx_errors_name_sheet_row_and_column(db, city):
    wb = load_workbook(io.BytesIO(template_xlsx()))
    docs, items = wb[SHEET_DOCS], wb[SHEET_ITEMS]
    header = [c.value for c in docs[1]]
    row = dict.fromkeys(header)
    row.update(
        {
            "文件编号": 1,
            "标题": "测试政策",
            "发文单位": "淄博市科技局",
            "层级": "乡镇级",
            "申报截止": "2026-13-01",
        }
    )
    docs.append([row[h] for h in header])
    iheader = [c.value for c in items[1]]
    item = dict.fromkeys(iheader)
    item.update(
        {
            "文件编号": 1,
            "序号": 1,
            "事项名称": "奖励",
            "支持方式": "固定金额",
            "金额（万元）": "十万",
            "申报条件（规则 JSON）": '{"all": [{"foo": 1}]}',
        }
    )
    items.append([item[h] for h in iheader])
    item2 = dict(item, **{"序号": 2, "金额（万元）": 10, "申报条件（规则 JSON）": "{bad json"})
    items.append([item2[h] for h in iheader])
    orphan = dict(item2, **{"文件编号": 7, "申报条件（规则 JSON）": None})
    items.append([orphan[h] for h in iheader])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_policies(city, buffer.getvalue(), "bad.xlsx")
    assert not report.ok
    got = {(r.sheet, r.row, r.column) for r in report.rows}
    assert (SHEET_ITEMS, 2, "金额（万元）") in got
    assert (SHEET_ITEMS, 3, "申报条件（规则 JSON）") in got
    assert (SHEET_ITEMS, 4, "文件编号") in got
    assert PolicyDocument.objects.count() == 0


def test_xlsx_validation_errors_map_to_cells(db, city):
    wb = load_workbook(io.BytesIO(template_xlsx()))
    docs, items = wb[SHEET_DOCS], wb[SHEET_ITEMS]
    header = [c.value for c in docs[1]]
    row = dict.fromkeys(header)
    row.update(
        {
            "文件编号": 1,
            "标题": "测试政策",
            "发文单位": "淄博市科技局",
            "层级": "乡镇级",
            "申报截止": "2026-13-01",
        }
    )
    docs.append([row[h] for h in header])
    iheader = [c.value for c in items[1]]
    item = dict.fromkeys(iheader)
    item.update(
        {
            "文件编号": 1,
            "序号": 1,
            "事项名称": "奖励",
            "支持方式": "固定金额",
            "金额（万元）": 10,
            "申报条件（规则 JSON）": '{"all": [{"foo": 1}]}',
        }
    )
    items.append([item[h] for h in iheader])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = import_policies(city, buffer.getvalue(), "bad.xlsx")
    by_cell = {(r.sheet, r.row, r.column): r.reason for r in report.rows}
    assert (
        "层级" in by_cell[(SHEET_DOCS, 2, "层级")] or "national" in by_cell[(SHEET_DOCS, 2, "层级")]
    )
    assert "2026-03-31" in by_cell[(SHEET_DOCS, 2, "申报截止")]
    reason = by_cell[(SHEET_ITEMS, 2, "申报条件（规则 JSON）")]
    assert reason.startswith("all[0].foo：") and "未知的运算符" in reason
    assert PolicyDocument.objects.count() == 0


# --- commands -----------------------------------------------------------------------------


def test_import_and_export_commands(db, city, tmp_path):
    from django.core.management import CommandError, call_command

    source = tmp_path / "in.json"
    source.write_bytes(_json(policy_data()))
    call_command("import_policies", str(source), "--user", "city1")
    assert PolicyDocument.objects.count() == 1
    out = tmp_path / "out.xlsx"
    call_command("export_policies", str(out))
    assert load_workbook(out)[SHEET_ITEMS].max_row == 3  # header + 2 items
    bad = tmp_path / "bad.json"
    bad.write_bytes(_json(policy_data(doc_number="X", level="town")))
    report = tmp_path / "report.json"
    with pytest.raises(CommandError, match="未写入"):
        call_command("import_policies", str(bad), "--user", "city1", "--report", str(report))
    assert json.loads(report.read_text())[0]["column"] == "level"
    assert PolicyDocument.objects.count() == 1
    template = tmp_path / "t.xlsx"
    call_command("export_policies", str(template), "--template")
    assert load_workbook(template).sheetnames[0] == SHEET_HELP
