"""The Excel template and reading Excel files: 万元, 是/否, cell locations."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from smeladder.registry.interchange.excel_layout import SHEETS
from smeladder.registry.models import AnnualFigures, Enterprise, EquityFinancing
from tests.registry.fixtures import make_uscc

SHEET_NAMES = [
    "企业基本信息",
    "年度数据",
    "称号",
    "科技奖励",
    "创客中国",
    "股权融资",
    "平台评价得分",
]


def test_template_layout(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    call_command("template", "--output", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    assert wb.sheetnames == [*SHEET_NAMES, "填写说明"]
    annual = [c.value for c in wb["年度数据"][1]]
    assert annual[:3] == ["统一社会信用代码", "年度", "营业收入(万元)"]
    base = [c.value for c in wb["企业基本信息"][1]]
    assert base[0] == "统一社会信用代码" and "扩展信息(JSON)" in base
    assert wb["企业基本信息"].max_row == 1  # headers only
    help_rows = [[c.value for c in row] for row in wb["填写说明"].iter_rows()]
    revenue = next(r for r in help_rows if r[1] == "营业收入(万元)")
    assert revenue[2] == "annual.revenue" and revenue[3] == "万元"
    listed = next(r for r in help_rows if r[2] == "listed")
    assert "是" in listed[4]
    assert any(
        dv.formula1 == '"是,否"' for dv in wb["企业基本信息"].data_validations.dataValidation
    )


def _workbook(rows: dict[str, list[list]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.title)
        ws.append([c.header for c in sheet.columns])
    for title, data in rows.items():
        for row in data:
            wb[title].append(row)
    return wb


def _headers(title: str) -> list[str]:
    return next(s for s in SHEETS if s.title == title).columns


def _row(title: str, **values) -> list:
    return [values.get(c.header) for c in _headers(title)]


def run_import(path: Path) -> tuple[int, str]:
    err = io.StringIO()
    try:
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, err.getvalue()


def test_wan_converted_exactly_and_cells_read(db, tmp_path: Path) -> None:
    uscc = make_uscc(1)
    wb = _workbook(
        {
            "企业基本信息": [
                _row(
                    "企业基本信息",
                    **{
                        "统一社会信用代码": uscc,
                        "企业名称": "表格企业",
                        "行政区划代码": 370303,  # typed as a number
                        "国民经济行业代码": 3484,
                        "成立日期": dt.datetime(2015, 6, 1),
                        "是否上市": "否",
                        "列入经营异常名录": "FALSE",
                        "拥有自主品牌": 1,
                        "通过管理体系认证": True,
                        "研发机构级别": "市级",  # a label is accepted for the code
                        "国内细分市场占有率": "12%",
                    },
                )
            ],
            "年度数据": [
                _row(
                    "年度数据",
                    **{"统一社会信用代码": uscc, "年度": 2025, "营业收入(万元)": 1234.5678},
                ),
                _row(
                    "年度数据", **{"统一社会信用代码": uscc, "年度": 2024, "净利润(万元)": "-0.01"}
                ),
            ],
            "股权融资": [
                _row(
                    "股权融资",
                    **{"统一社会信用代码": uscc, "年度": 2025, "新增股权融资(万元)": 0.1},
                )
            ],
        }
    )
    path = tmp_path / "in.xlsx"
    wb.save(path)
    code, err = run_import(path)
    assert code == 0, err
    e = Enterprise.objects.get()
    assert (e.division_code, e.industry_code, e.founded_on) == (
        "370303",
        "C3484",
        dt.date(2015, 6, 1),
    )
    assert (e.listed, e.flag_abnormal_operations_list, e.quality_own_brand) == (False, False, True)
    assert e.quality_quality_certification is True
    assert e.flag_major_incident_3y is None  # empty cell: unknown
    assert e.rd_institution == "city"
    assert e.product_market_share == Decimal("0.12")
    figures = {a.year: a for a in AnnualFigures.objects.all()}
    assert figures[2025].revenue == Decimal("12345678")  # 1234.5678 万元
    assert figures[2024].net_profit == Decimal("-100")
    assert EquityFinancing.objects.get().amount == Decimal("1000")


def test_excel_problems_name_sheet_row_and_column(db, tmp_path: Path) -> None:
    uscc = make_uscc(1)
    wb = _workbook(
        {
            "企业基本信息": [
                _row(
                    "企业基本信息",
                    **{
                        "统一社会信用代码": uscc,
                        "企业名称": "甲",
                        "行政区划代码": "370303",
                        "是否上市": "也许",
                    },
                ),
                _row(
                    "企业基本信息",
                    **{"统一社会信用代码": uscc, "企业名称": "乙", "行政区划代码": "370303"},
                ),
            ],
            "年度数据": [
                _row("年度数据", **{"统一社会信用代码": uscc, "年度": 2025, "营业收入(万元)": -1}),
                _row("年度数据", **{"统一社会信用代码": uscc, "年度": 2025, "职工总数(人)": "abc"}),
                _row("年度数据", **{"统一社会信用代码": make_uscc(2), "年度": 2025}),
            ],
        }
    )
    wb["称号"].cell(row=1, column=9, value="备注")  # a column not in the template
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    code, err = run_import(path)
    assert code == 1
    assert "企业基本信息 第2行 row 2" in err and "是否上市 (listed)" in err and '"也许"' in err
    assert "企业基本信息 第3行 row 3" in err and "duplicate enterprise" in err
    assert "年度数据 第2行 row 2" in err and "营业收入(万元)" in err
    assert "年度数据 第3行 row 3" in err and "duplicate year" in err
    assert "年度数据 第4行 row 4" in err and "not on the 企业基本信息 sheet" in err
    assert "备注" in err and "unknown column" in err
    assert not Enterprise.objects.exists()
