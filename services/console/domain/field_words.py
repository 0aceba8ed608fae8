"""A refused form's fields as the person reads them: the contract's field path (shared/contracts)
as the label the console's form shows it with (templates/), and pydantic's check of it in
Chinese, by its error type and with its numbers, pydantic's own words after them for whoever
supports the desk. A path or a check the console does not know is shown as it came."""

from __future__ import annotations

import re
from typing import Any

from services.console.domain.words import VOCABULARIES, word

# the contract's field -> the form's label for it (the label's hint in brackets left out)
FIELDS = {
    "表单": "", "body": "",  # the form as a whole (a check across its fields): no label
    # 受理登记 (desk.html), a ticket's steps (ticket.html)
    "channel": "受理渠道", "kind": "类别", "category": "分类", "help_category": "求助类别",
    "incident_kind": "突发事件类型", "reporter": "来电/来访人", "reporter.name": "来电/来访人",
    "reporter.phone": "联系电话", "reporter.room": "房号/位置", "content": "内容",
    "appointment": "预约上门", "appointment.start": "预约上门开始",
    "appointment.end": "预约上门结束", "validity": "投诉界定", "communicative_type": "沟通性类型",
    "severity": "严重程度", "message": "答复内容", "solution": "解决方案", "resolution": "处理结果",
    "score": "满意度", "comment": "客户意见", "reason": "原因", "note": "说明",
    "duplicate_of": "重复的工单号", "purpose": "用途", "to_staff": "移交给（工号）",
    # a work order's steps (order.html)
    "collected_by": "签收人工号", "technician": "技术员工号", "amount": "金额（元）",
    "items": "报价项目", "fee": "费用（元）", "notes": "维修说明", "actual_item": "实际维修项目",
    "quality": "维修质量", "attitude": "服务态度",
    # violations (violations.html, violation.html)
    "description": "违例情况", "observed_at": "发现时间", "offender": "违例人",
    "offender.name": "违例人姓名", "offender.phone": "违例人电话", "offender.room": "违例人房号",
    "place": "地点", "violation_class": "级别", "measure": "措施", "due_on": "期限",
    "failed": "调解失败", "penalty": "处罚建议", "outcome": "处理结果", "ticket_id": "工单号",
    # incidents (incidents.html, incident.html)
    "occurred_at": "发生时间", "taken_at": "采取时间", "to": "上报对象", "reported_at": "上报时间",
    "follow_up": "事后跟进",
    # notices (announcements.html)
    "starts_at": "开始时间", "expected_end": "预计恢复/完工时间", "ended_at": "结束时间",
    "text": "内容", "explanation": "事后说明", "planned": "计划停运", "scope": "影响范围",
    "scope.buildings": "楼栋", "scope.zones": "组团/区域", "scope.units": "房号",
    "scope.whole_site": "全项目",
    # rounds (round_form.html)
    "round_type": "巡查类型", "slot": "计划时段", "area": "区域", "started_at": "开始时间",
    "points": "检查点", "points.point": "检查点", "points.ok": "合格", "points.note": "说明",
    "findings": "发现的问题", "findings.point": "检查点", "findings.type": "类型",
    "findings.description": "问题描述", "findings.location": "位置/房号",
    "findings.category": "分类", "findings.fixed_on_spot": "现场整改",
    "findings.measures": "现场整改措施", "findings.about_staff": "员工工号",
    "findings.violation_class": "违例级别", "findings.violation_category": "违例类别",
    # promises (promises.html)
    "what": "答应客户的事", "due_at": "约定答复时间", "phone": "来电号码", "called_at": "来电时间",
    "owner": "负责人工号", "kept_at": "兑现时间",
    # residents (residents.html)
    "name": "姓名/名称", "phones": "电话", "household": "家庭成员",
    "household.name": "家庭成员姓名", "household.relation": "家庭成员关系",
    "special_care": "特殊关怀", "care_note": "关怀说明", "resident_ref": "档案编号",
    "unit_ref": "入住房屋", "moved_in_on": "入住日期", "place_kind": "类型", "building": "楼栋",
    "room": "房号", "zone": "组团/辖区",
    # visits (visits.html)
    "unit": "房号", "visited_at": "走访时间", "opinions": "住户意见", "issues": "反映的问题",
    "issues.kind": "问题类型", "issues.category": "类别", "issues.description": "反映的问题",
    # shifts (shifts.html)
    "shift": "班次",
}  # fmt: skip

# where a form labels a field its own way (the contract's command, by its class name)
FORMS = {
    "Reschedule": {"appointment.start": "新预约开始", "appointment.end": "新预约结束"},
    "ConfirmAcceptance": {"note": "验收情况"},
    "OpenViolation": {"category": "类别", "ticket_id": "关联工单号"},
    "ReclassifyViolation": {"violation_class": "违例级别"},
    "RecordMediation": {"note": "调解说明"},
    "OpenIncident": {"kind": "类型", "measure": "已采取的措施", "ticket_id": "关联工单号"},
    "RecordIncidentMeasure": {"measure": "处理措施"},
    "AnnounceNotice": {"kind": "类型", "text": "通告内容"},
    "ReviseRestoration": {"expected_end": "新的预计恢复时间"},
    "CancelNotice": {"reason": "取消原因"},
    "EndNotice": {"note": "备注"},
    "MakePromise": {"kind": "类型"},
    "WriteShiftEntry": {"ticket_id": "关联工单号"},
    "CloseShift": {"note": "交班说明"},
    "LookupCaller": {"phone": "联系电话"},
    "RegisterUnit": {"unit_ref": "编号"}, "CorrectUnit": {"unit_ref": "编号"},
    "RecordVisit": {"zone": "管区"}, "RecordCareVisit": {"note": "走访情况"},
}  # fmt: skip

# a field whose choices the console says in Chinese: its vocabulary in words.py, named as the
# field (by its last name) unless the form's command names another
VALUED = {"channel", "kind", "help_category", "category", "validity", "communicative_type",
          "severity", "incident_kind", "violation_class", "measure"}  # fmt: skip
FORM_VALUES = {"OpenIncident": {"kind": "incident_kind"}, "MakePromise": {"kind": "promise_kind"},
               "AnnounceNotice": {"kind": "notice_kind"}}  # fmt: skip


def label(path: str, form: str | None = None) -> str:
    """The form's label of the contract's `path` (`findings.0.point`: the first finding's); the
    path itself when the console does not know it."""
    parts = path.split(".")
    key = ".".join(p for p in parts if not p.isdigit())
    said = FORMS.get(form or "", {}).get(key) or FIELDS.get(key)
    if said is None:
        return path
    rows = [int(p) + 1 for p in parts if p.isdigit()]
    return said + "".join(f"（第 {n} 项）" for n in rows)


def _choices(error: dict[str, Any], form: str | None) -> str:
    expected = str((error.get("ctx") or {}).get("expected", ""))
    values = re.findall(r"'([^']*)'", expected)
    name = str(error["loc"][-1]) if error.get("loc") else ""
    vocabulary = FORM_VALUES.get(form or "", {}).get(name) or (name if name in VALUED else None)
    if vocabulary in VOCABULARIES:
        values = [word(vocabulary, v) for v in values]
    return "请从列表中选择" + (f"：{'、'.join(values)}" if values else "")


_TIME = "时间格式不正确"
_DATE = "日期格式不正确"
# pydantic's error type -> the check in Chinese, `{…}` its ctx
CHECKED = {
    "missing": "必填", "extra_forbidden": "此项不属于该表单",
    "string_too_long": "最多 {max_length} 个字",
    "string_pattern_mismatch": "格式不正确", "string_type": "应为文字",
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字",
    "decimal_type": "应为数字", "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "greater_than": "须大于 {gt}", "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}", "less_than_equal": "不能大于 {le}",
    "datetime_parsing": _TIME, "datetime_from_date_parsing": _TIME, "datetime_type": _TIME,
    "timezone_aware": "时间须带时区", "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "应为日期，不带时刻", "date_type": _DATE, "time_parsing": _TIME,
    "bool_parsing": "请选择是或否", "bool_type": "请选择是或否",
    "list_type": "应为多项（每行一项）", "too_long": "最多 {max_length} 项",
    "uuid_parsing": "编号格式不正确", "dict_type": "格式不正确", "model_type": "格式不正确",
}  # fmt: skip


def checked_in_chinese(error: dict[str, Any], form: str | None = None) -> str | None:
    """One of pydantic's errors (`ValidationError.errors()`) in Chinese, None when the console
    does not know its type."""
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        return _choices(error, form)
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        if least <= 1:
            return "不能为空"
        return f"至少 {least} 个字" if kind == "string_too_short" else f"至少 {least} 项"
    said = CHECKED.get(str(kind))
    if said is None:
        return None
    try:
        return said.format(**ctx)
    except (KeyError, IndexError):
        return re.sub(r"\{\w+\}", "", said).strip()
