"""The policy JSON format: one shape for import, export, revisions, the API and the demo.

A file is ``{"format": "smeladder-policies", "version": 1, "documents": [<document>, …]}``; a
bare list of documents is accepted on import too. Every key below is the same everywhere
(export writes it, import and ``save_document`` read it, a revision's snapshot stores it).

Document (政策文件)::

    {
      "title": "关于支持专精特新企业高质量发展的若干措施",   # 标题, required, ≤ 300
      "issuer": "淄博市工业和信息化局",                      # 发文单位, required, ≤ 200
      "level": "city",              # national | provincial | city | district (国家/省/市/区县级)
      "doc_number": "淄工信发〔2026〕12号",                 # 文号, optional
      "published_on": "2026-02-15", # ISO dates, each optional (null = open)
      "apply_from": "2026-03-01", "apply_to": "2026-03-31", "expires_on": "2028-12-31",
      "regions": ["3703"],          # GB/T 2260 prefixes (2, 4 or 6 digits); [] = everywhere
      "categories": ["funding"],    # codes of Category (资金奖补 funding, 税收优惠 tax, …)
      "source_url": "https://…", "full_text": "…",
      "materials": "…", "channel": "…", "contact_department": "…", "contact_phone": "…",
      "payout_days": 30,            # 兑现时限（工作日）
      "owner_prefix": "3703",       # the office that maintains it; default: the user's area
      "demo": false,
      "items": [<item>, …]          # at least one
    }

Item (支持事项)::

    {
      "seq": 1,                     # natural key within the document (1, 2, …); unique
      "name": "专精特新“小巨人”企业一次性奖励",              # required, ≤ 300
      "summary": "…", "conditions_text": "…",              # the policy's own words
      "eligibility": {"all": [{"title": {"codes": ["little_giant"]}}]},  # rule language
      "manual_conditions": ["项目通过专家评审"],             # only a person can judge
      "benefit": {"kind": "fixed", "amount": 1000000},     # see below; amounts in yuan
      "auto_grant": false,          # 免申即享
      "categories": []              # item's own categories; [] = the document's
    }

Benefit kinds: ``{"kind": "fixed", "amount": N}`` · ``{"kind": "formula", "expr": <expr>,
"cap": N, "floor": N}`` (cap/floor optional) · ``{"kind": "tiered", "table": [{"when": <expr>,
"amount": N, "label": "国家级"}, …]}`` · ``{"kind": "none", "text": "优先推荐"}``.

Export adds three read-only keys that import ignores: ``id``, ``status`` and ``version``.
Import always writes drafts (publication goes through review); a document whose ``doc_number``
and ``title`` match one the user maintains updates it, anything else creates a new draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

FORMAT_NAME = "smeladder-policies"
FORMAT_VERSION = 1

#: document keys (besides ``items``) in the order export writes them
DOCUMENT_FIELDS: tuple[str, ...] = (
    "title",
    "issuer",
    "level",
    "doc_number",
    "published_on",
    "apply_from",
    "apply_to",
    "expires_on",
    "regions",
    "categories",
    "source_url",
    "full_text",
    "materials",
    "channel",
    "contact_department",
    "contact_phone",
    "payout_days",
    "owner_prefix",
    "demo",
)
DATE_FIELDS: tuple[str, ...] = ("published_on", "apply_from", "apply_to", "expires_on")
ITEM_FIELDS: tuple[str, ...] = (
    "seq",
    "name",
    "summary",
    "conditions_text",
    "eligibility",
    "manual_conditions",
    "benefit",
    "auto_grant",
    "categories",
)
#: written by export, ignored by import
READ_ONLY_FIELDS: tuple[str, ...] = ("id", "status", "version")
BENEFIT_KINDS: tuple[str, ...] = ("fixed", "formula", "tiered", "none")

#: Chinese names of the fields, for messages and the Excel headers
LABELS: dict[str, str] = {
    "title": "标题",
    "issuer": "发文单位",
    "level": "层级",
    "doc_number": "文号",
    "published_on": "发布日期",
    "apply_from": "申报开始",
    "apply_to": "申报截止",
    "expires_on": "失效日期",
    "regions": "适用区划",
    "categories": "政策类别",
    "source_url": "原文链接",
    "full_text": "正文",
    "materials": "申报材料",
    "channel": "申报渠道",
    "contact_department": "联系部门",
    "contact_phone": "联系电话",
    "payout_days": "兑现时限（工作日）",
    "owner_prefix": "维护单位区划",
    "demo": "演示数据",
    "items": "支持事项",
    "seq": "序号",
    "name": "事项名称",
    "summary": "支持内容",
    "conditions_text": "申报条件（原文）",
    "eligibility": "申报条件（规则）",
    "manual_conditions": "需人工核实的条件",
    "benefit": "支持标准",
    "auto_grant": "免申即享",
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def item_to_data(item: Any) -> dict[str, Any]:
    return {
        "seq": item.seq,
        "name": item.name,
        "summary": item.summary,
        "conditions_text": item.conditions_text,
        "eligibility": item.eligibility or {},
        "manual_conditions": list(item.manual_conditions or []),
        "benefit": item.benefit or {},
        "auto_grant": bool(item.auto_grant),
        "categories": list(item.categories or []),
    }


def document_to_data(
    doc: Any, items: Iterable[Any] | None = None, *, read_only: bool = True
) -> dict[str, Any]:
    """A document with its items in the policy JSON format (``items`` saves a query when the
    caller already has them, in seq order)."""
    out: dict[str, Any] = {}
    if read_only:
        out.update(id=doc.pk, status=doc.status, version=doc.version)
    for key in DOCUMENT_FIELDS:
        value = getattr(doc, key)
        out[key] = _iso(value) if key in DATE_FIELDS else value
    rows = items if items is not None else doc.items.order_by("seq")
    out["items"] = [item_to_data(i) for i in rows]
    return out


def file_data(documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "documents": documents}
