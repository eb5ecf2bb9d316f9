import json

from dedup import InputProblem, render
from dedup.report.model import SCHEMA_VERSION, input_summary, skipped_note


def test_the_json_report_keeps_schema_1_and_its_sections(seed_report):
    report = json.loads(render(seed_report, "json"))
    assert report["dedup_report"] == SCHEMA_VERSION == 1
    assert list(report) == ["dedup_report", "parameters", "documents", "duplicates", "clusters", "passages",
                            "attribution", "groups", "input"]
    assert report == seed_report.to_dict()


def test_the_input_section_counts_problems_by_reason():
    problems = [InputProblem("a.jsonl", "bad", "skipped", 3, "invalid-json"),
                InputProblem("a.jsonl", "bad", "skipped", 5, "invalid-json"),
                InputProblem("b.txt", "latin-1", "kept", None, "encoding")]
    section = input_summary(7, problems)
    assert (section["skipped"], section["skipped_by_reason"], section["kept_by_reason"]) == (
        2, {"invalid-json": 2}, {"encoding": 1})
    assert skipped_note(problems) == "2 skipped: 2 invalid-json"
    assert skipped_note([]) == "0 skipped"
