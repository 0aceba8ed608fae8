"""A satisfaction survey's statistics (满意度调查统计, R11.9) as a workbook, from a `survey.stats`
reply (docs/VISITS.md): the overall figures, then each question's answers, distribution, mean
and satisfaction rate. The survey's own figures: the follow-up's are in the monthly report."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import xlsx
from propdesk.report_files.document import Document, Sheet, Table, count, hours, pct, text
from propdesk.report_files.labels import both

MEASURE, VALUE = both("指标", "Measure"), both("值", "Value")
# the mean score is written as a number with one decimal shown: the format of `hours`


def survey_document(reply: dict[str, Any]) -> Document:
    title = f"满意度调查统计 Satisfaction survey — {reply['title']}"
    meta = [
        (both("项目", "Site"), text(reply["site"])),
        (both("调查", "Survey"), text(reply["survey_ref"])),
        (both("期间", "Period"), text(f"{reply['first_day']} – {reply['last_day']}")),
    ]
    overall = Table(
        both("总体", "Overall"),
        [MEASURE, VALUE],
        [
            [text(both("入住户数", "Households")), count(reply["households"])],
            [text(both("答卷数", "Responses")), count(reply["responses"])],
            [text(both("回收率", "Response rate")), pct(reply["response_rate"])],
            [text(both("满意率", "Satisfaction rate")), pct(reply["satisfaction_rate"])],
            *[
                [text(both("渠道", "Channel") + f" {c}"), count(n)]
                for c, n in reply["by_channel"].items()
            ],
        ],
        key="overall",
    )
    scale = max((q["scale"] for q in reply["questions"]), default=5)
    questions = Table(
        both("各题统计", "Questions"),
        [both("题目", "Question"), both("答题数", "Answers"),
         *[f"{s}分" for s in range(1, scale + 1)],
         both("平均分", "Mean"), both("满意", "Satisfied"), both("满意率", "Rate")],
        [
            [text(q["text"]), count(q["answers"]),
             *[count(q["distribution"].get(str(s))) for s in range(1, scale + 1)],
             hours(q["mean"]), count(q["satisfied"]), pct(q["satisfaction_rate"])]
            for q in reply["questions"]
        ],
        key="questions",
    )  # fmt: skip
    return Document(title, [Sheet("调查 Survey", title, meta, [overall, questions])])


def render_survey(reply: dict[str, Any]) -> bytes:
    """The workbook's bytes: the same reply always gives the same file."""
    return xlsx.render(survey_document(reply), f"{reply['last_day']}T00:00:00+00:00")
