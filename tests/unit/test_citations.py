"""Every citation resolves inside the repository. A reader of a clone follows a rule id (R6.4, C11,
G1) to its entry in docs/RULES.md, a section (docs/DOMAIN.md §5, contract §16) to its heading, and a
relative Markdown link to its file and anchor; nothing points at documents outside the repository.

The scanner is tested on made-up text first, so that "nothing unresolved" on the real files means
the citations were found and checked, not missed."""

from __future__ import annotations

import os
import re
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = "docs/RULES.md"
DOMAIN = "docs/DOMAIN.md"
CONTRACT = "docs/contract.md"

RULE_ID = re.compile(r"(?<![\w.])R\d+\.\d+[a-z]?(?!\w)")
# C (conflict) and G (gap) ids are short enough to be something else; see _cites_a_rule.
CONFLICT_OR_GAP = re.compile(r"(?<![\w.])[CG]\d{1,2}(?!\w)")
SECTION = r"§\d+(?:\.\d+)*"
SECTION_RUN = re.compile(
    rf"(?P<doc>[\w./-]*(?:DOMAIN|contract)(?:\.md)?)?[ \t]*"
    rf"(?P<run>{SECTION}(?:\s*(?:,|–|-|and|or)\s*{SECTION})*)"
)
MD_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
ANCHOR_TAG = re.compile(r"<a (?:id|name)=\"([^\"]+)\"")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
# Skipped when there is no git to ask which files are tracked.
UNTRACKED = {".git", ".venv", ".pytest_cache", ".ruff_cache", "var", "__pycache__"}
# Documents the project was written from, which a clone does not have.
OUTSIDE = re.compile(
    r"\.\./shared\b|seed-rules|/work/|shared/(?:seeds|reference|design|DOMAIN\.md|STYLE\.md)"
)
# Outside docs/, a section or anchor of the domain files is cited from the repository root.
BARE_DOC = re.compile(r"(?<![\w/.-])(?:DOMAIN(?:\.md)?|RULES\.md)(?=[ \t]*§|#)")


@dataclass(frozen=True)
class Citation:
    path: str
    line: int
    kind: str  # rule, domain, contract, link, outside
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.target}"


# -- the scanner ----------------------------------------------------------------------------------


def anchor_of(rule_id: str) -> str:
    """RULES.md's anchor scheme: R6.4 → r6-4, R5.1a → r5-1a, C10 → c10."""
    return rule_id.lower().replace(".", "-")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text in lower case, punctuation dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def headings(markdown: str) -> list[str]:
    return re.findall(r"^#{1,6} +(.+?) *#*$", FENCE.sub("", markdown), re.M)


@cache
def anchors(markdown: str) -> set[str]:
    seen: dict[str, int] = {}
    found = set(ANCHOR_TAG.findall(markdown))
    for heading in headings(markdown):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


@cache
def numbered_sections(markdown: str) -> set[str]:
    """'## 5. Service-level clocks' → '5'; '### 9.3 Routing …' → '9.3'."""
    return {m.group(1) for h in headings(markdown) if (m := re.match(r"(\d+(?:\.\d+)*)\.?\s", h))}


def _cites_a_rule(text: str, start: int, line: str) -> bool:
    """C3 or G1 is a rule citation next to a rule id, after "decision", or inside parentheses in
    prose ("(C10)", "(R8.5, C4 decided …)"), not a cell name in code such as ws["C2"]."""
    before = text[max(0, start - 200) : start]
    if before[-1:] in "\"'`[=":
        return False
    if RULE_ID.search(line) or re.search(r"decision\s+$", before, re.I):
        return True
    return before.rfind("(") > before.rfind(")")


def scan(path: str, text: str) -> list[Citation]:
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))

    def line_no(offset: int) -> int:
        return bisect_right(starts, offset)

    found: list[Citation] = []
    for m in RULE_ID.finditer(text):
        found.append(Citation(path, line_no(m.start()), "rule", m.group()))
    for m in CONFLICT_OR_GAP.finditer(text):
        n = line_no(m.start())
        if _cites_a_rule(text, m.start(), lines[n - 1]):
            found.append(Citation(path, n, "rule", m.group()))
    for m in SECTION_RUN.finditer(text):
        kind = "contract" if "contract" in (m.group("doc") or "") else "domain"
        for number in re.findall(r"§(\d+(?:\.\d+)*)", m.group("run")):
            found.append(Citation(path, line_no(m.start()), kind, number))
    for m in OUTSIDE.finditer(text):
        found.append(Citation(path, line_no(m.start()), "outside", m.group()))
    if not path.startswith("docs/"):
        for m in BARE_DOC.finditer(text):
            bare = f"{m.group()} without docs/"
            found.append(Citation(path, line_no(m.start()), "outside", bare))
    if path.endswith(".md"):
        for m in MD_LINK.finditer(FENCE.sub(lambda f: "\n" * f.group().count("\n"), text)):
            if not re.match(r"[a-z]+:", m.group(1)):
                found.append(Citation(path, line_no(m.start()), "link", m.group(1)))
    return found


@dataclass(frozen=True)
class Repository:
    """What citations may point at: the files there are and the documents' entries."""

    files: dict[str, str]

    @property
    def rule_anchors(self) -> set[str]:
        return set(ANCHOR_TAG.findall(self.files.get(RULES, "")))

    def resolves(self, c: Citation) -> bool:
        if c.kind == "rule":
            return anchor_of(c.target) in self.rule_anchors
        if c.kind == "domain":
            return c.target in numbered_sections(self.files.get(DOMAIN, ""))
        if c.kind == "contract":
            return c.target in numbered_sections(self.files.get(CONTRACT, ""))
        if c.kind == "link":
            return self._link_resolves(c.path, c.target)
        return False  # outside

    def _link_resolves(self, source: str, target: str) -> bool:
        file, _, fragment = target.partition("#")
        path = os.path.normpath(os.path.join(os.path.dirname(source), file)) if file else source
        if path.startswith(".."):
            return False
        if path not in self.files and not (ROOT / path).is_dir():
            return False
        return not fragment or not path.endswith(".md") or fragment in anchors(self.files[path])

    def unresolved(self) -> list[Citation]:
        found = (c for path, text in self.files.items() for c in scan(path, text))
        return [c for c in found if not self.resolves(c)]


# -- the repository's files -----------------------------------------------------------------------


def _tracked() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout
        return [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.SubprocessError):  # an export without .git: walk the tree instead
        found = []
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in UNTRACKED and not d.endswith(".egg-info")]
            found += [str((Path(folder) / name).relative_to(ROOT)) for name in names]
        return found


@cache
def repository() -> Repository:
    this = str(Path(__file__).resolve().relative_to(ROOT))
    files = {}
    for path in _tracked():
        if path == this or not (ROOT / path).is_file():
            continue  # this file names bad citations on purpose
        try:
            files[path] = (ROOT / path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    # The two documents may be new and not yet committed; they must be checked all the same.
    for doc in (DOMAIN, RULES):
        if doc not in files and (ROOT / doc).is_file():
            files[doc] = (ROOT / doc).read_text(encoding="utf-8")
    return Repository(files)


@cache
def all_citations() -> tuple[Citation, ...]:
    return tuple(c for path, text in repository().files.items() for c in scan(path, text))


def citations(kind: str) -> list[Citation]:
    return [c for c in all_citations() if c.kind == kind]


# -- the scanner finds what it should, and flags what it should -----------------------------------

MADE_UP = Repository(
    {
        RULES: '- <a id="r6-4"></a>**R6.4** … \n| <a id="c11"></a>C11 | … |\n',
        DOMAIN: "# Domain\n\n## 3. Complaints (投诉)\n\n## 5. Clocks\n",
        CONTRACT: "# Contract\n\n## 16. Site directory\n\n### 9.3 Routing, urgency\n",
        "services/x.py": '"""The ladder (R6.4, C11; docs/DOMAIN.md §3, §5); contract §9.3."""\n',
        "docs/x.md": "The ladder: [R6.4](RULES.md#r6-4), [§3](DOMAIN.md#3-complaints-投诉).\n",
    }
)


def test_known_rule_ids_sections_and_links_resolve() -> None:
    found = scan("services/x.py", MADE_UP.files["services/x.py"]) + scan(
        "docs/x.md", MADE_UP.files["docs/x.md"]
    )

    assert {(c.kind, c.target) for c in found} == {
        ("rule", "R6.4"),
        ("rule", "C11"),
        ("domain", "3"),
        ("domain", "5"),
        ("contract", "9.3"),
        ("link", "RULES.md#r6-4"),
        ("link", "DOMAIN.md#3-complaints-投诉"),
    }
    assert MADE_UP.unresolved() == []


@pytest.mark.parametrize(
    ("text", "unresolved"),
    [
        ("the ladder (R6.5)", "rule R6.5"),
        ("urgent words (R7.1a, R6.4)", "rule R7.1a"),
        ("decision C12 applies", "rule C12"),
        ("follow-up (R11.3, G1)", "rule G1"),
        ("see docs/DOMAIN.md §4", "domain 4"),
        ("DOMAIN.md §2–§3", "domain 2"),
        ("closed only this way (§6)", "domain 6"),
        ("[contract §17](docs/contract.md#17-decisions)", "contract 17"),
        ("per the seeds (see ../shared/DOMAIN.md)", "outside ../shared"),
        ("rule ids point to reference/seed-rules.md", "outside seed-rules"),
        ("the domain (DOMAIN.md §3)", "outside DOMAIN.md without docs/"),
        ("personal data (DOMAIN §9)", "outside DOMAIN without docs/"),
    ],
)
def test_a_citation_that_does_not_resolve_is_reported(text: str, unresolved: str) -> None:
    repo = Repository({**MADE_UP.files, "services/y.py": f'"""{text}"""\n'})

    assert unresolved in [f"{c.kind} {c.target}" for c in repo.unresolved()]


@pytest.mark.parametrize(
    ("text", "unresolved"),
    [
        ("[the rules](RULES.md#r6-5)", "link RULES.md#r6-5"),
        ("[the ladder](DOMAIN.md#4-complaints)", "link DOMAIN.md#4-complaints"),
        ("[missing](NOPE.md)", "link NOPE.md"),
        ("[up and out](../../shared/DOMAIN.md)", "link ../../shared/DOMAIN.md"),
    ],
)
def test_a_broken_markdown_link_is_reported(text: str, unresolved: str) -> None:
    repo = Repository({**MADE_UP.files, "docs/y.md": f"{text}\n"})

    assert unresolved in [f"{c.kind} {c.target}" for c in repo.unresolved()]


def test_letters_and_numbers_that_are_not_rule_citations_are_left_alone() -> None:
    text = 'ws["C2"] = 1\nhelp categories A–G; a G3 chip; Python 3.11; the C10 form\n'

    assert [c for c in scan("propdesk/x.py", text) if c.kind == "rule"] == []


def test_headings_get_githubs_anchors() -> None:
    markdown = "## 6.5 `follow_up` — the follow-up call (回访, R11.1–R11.8)\n## Gaps\n## Gaps\n"

    assert anchors(markdown) == {"65-follow_up--the-follow-up-call-回访-r111r118", "gaps", "gaps-1"}


# -- the repository: many citations, all of them resolved -----------------------------------------


def test_the_scan_finds_the_citations_of_code_tests_and_docs() -> None:
    rules = [c for c in citations("rule") if c.path not in (RULES, DOMAIN)]
    sections = [c for c in citations("domain") if c.path not in (RULES, DOMAIN)]

    assert len({c.target for c in rules}) >= 80
    assert len({c.path for c in rules}) >= 40
    assert len({c.path for c in sections}) >= 25
    assert len(citations("link")) >= 50
    cited = {(c.path, c.kind, c.target) for c in rules + sections + citations("contract")}
    assert {
        ("shared/kernel/sla.py", "rule", "R7.3"),
        ("shared/kernel/sla.py", "rule", "C2"),
        ("shared/kernel/sla.py", "domain", "5"),
        ("services/intake/domain/classification.py", "rule", "C10"),
        ("tests/integration/test_escalation_ladder.py", "rule", "C11"),
        ("docs/contract.md", "domain", "9"),
        ("docs/SERVICE-LEVELS.md", "contract", "16"),
    } <= cited


def test_every_cited_rule_id_has_its_entry_in_rules_md() -> None:
    missing = [str(c) for c in citations("rule") if not repository().resolves(c)]

    assert missing == []


def test_every_cited_section_has_its_heading() -> None:
    missing = [
        str(c) for c in citations("domain") + citations("contract") if not repository().resolves(c)
    ]

    assert missing == []


def test_no_file_cites_a_document_outside_the_repository() -> None:
    assert [str(c) for c in citations("outside")] == []


def test_every_relative_markdown_link_finds_its_file_and_anchor() -> None:
    broken = [str(c) for c in citations("link") if not repository().resolves(c)]

    assert broken == []


def test_rules_md_has_one_anchored_entry_per_id_and_domain_md_numbers_its_sections() -> None:
    rules = repository().files[RULES]
    entries = re.findall(r'<a id="([^"]+)"></a>\**([RCG][\d.]+[a-z]?)\**', rules)

    assert len(entries) >= 230
    assert all(anchor == anchor_of(rule_id) for anchor, rule_id in entries)
    assert len({anchor for anchor, _ in entries}) == len(entries)
    numbers = sorted(int(n) for n in numbered_sections(repository().files[DOMAIN]))
    assert len(numbers) >= 9
    assert numbers == list(range(1, len(numbers) + 1))


# -- every rule is traced: proved by a test that cites it, or listed as not enforced --------------

NOT_ENFORCED = "## Rules the system does not enforce"
# a test's name cites R6.3 as R6_3 (test_..._R6_3_R6_7)
RULE_IN_NAME = re.compile(r"(?<![A-Za-z0-9.])R(\d+)_(\d+)([a-z]?)(?![a-z0-9])")
LISTED = re.compile(r"^- \[(R\d+\.\d+[a-z]?)\]\(#([\w-]+)\) — \S", re.M)


@dataclass(frozen=True)
class Trace:
    untraced: list[str]  # in neither place
    both: list[str]  # listed as not enforced and yet cited by a test
    unknown: list[str]  # listed, but no rule of that id, or linked to another's anchor


def trace(repo: Repository) -> Trace:
    rules = repo.files.get(RULES, "")
    ids = re.findall(r"\*\*(R\d+\.\d+[a-z]?)\*\*", rules)
    tests = "\n".join(text for path, text in repo.files.items() if path.startswith("tests/"))
    cited = set(RULE_ID.findall(tests)) | {
        f"R{a}.{b}{c}" for a, b, c in RULE_IN_NAME.findall(tests)
    }
    _, heading, section = rules.partition(NOT_ENFORCED)
    listed = dict(LISTED.findall(section)) if heading else {}
    return Trace(
        untraced=[r for r in ids if r not in cited and r not in listed],
        both=[r for r in ids if r in cited and r in listed],
        unknown=[r for r, a in listed.items() if r not in ids or a != anchor_of(r)],
    )


def test_a_rule_neither_cited_nor_listed_or_both_is_reported() -> None:
    rules = (
        '- <a id="r6-3"></a>**R6.3** … \n- <a id="r6-4"></a>**R6.4** … \n'
        '- <a id="r6-5"></a>**R6.5** … \n- <a id="r7-1a"></a>**R7.1a** … \n'
        f"\n{NOT_ENFORCED}\n\n- [R6.4](#r6-4) — a duty of people\n"
        "- [R6.5](#r6-5) — C13: decided against\n- [R9.9](#r9-9) — no such rule\n"
    )
    tests = '"""The ladder (R7.1a)."""\ndef test_a_step_R6_5_R6_3(): ...\n'
    found = trace(Repository({RULES: rules, "tests/unit/test_x.py": tests}))

    assert found == Trace(untraced=[], both=["R6.5"], unknown=["R9.9"])
    assert trace(Repository({RULES: rules})).untraced == ["R6.3", "R7.1a"]


def test_every_rule_is_cited_by_a_test_or_listed_as_not_enforced_never_both() -> None:
    """A rule is traced when a test that proves it cites its id, or when docs/RULES.md lists it
    under "Rules the system does not enforce" with the reason; a listed rule no test claims."""
    found = trace(repository())

    assert found == Trace(untraced=[], both=[], unknown=[])
    listed = LISTED.findall(repository().files[RULES].partition(NOT_ENFORCED)[2])
    assert len(listed) >= 20
