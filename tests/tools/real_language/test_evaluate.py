"""How `make eval` reads a parse: what the patient gets, and which facts reach the slots."""

from __future__ import annotations

from pathlib import Path

from clinic.red_flags import Level
from tools.real_language.corpus import HOLDOUTS, Example
from tools.real_language.evaluate import First, Outcome, Report, first_unseen, outcome, team_examples


def parse(intent: str, entities: list[tuple[str, str]] = (), **extra: object) -> dict:  # type: ignore[assignment]
    return {
        "intent": {"name": intent},
        "entities": [{"entity": e, "value": v} for e, v in entities],
        **extra,
    }


def test_replies_and_questions() -> None:
    assert outcome(parse("red_flag_emergency")) == Outcome(Level.EMERGENCY, asked=False)
    asked = outcome(parse("red_flag_possible", red_flag={"level": "urgent", "ask": "fever"}))
    assert (asked.level, asked.asked, asked.by_model) == (Level.URGENT, True, False)
    assert outcome(parse("red_flag_possible", red_flag={"level": "emergency", "ask": ""})).by_model
    assert not outcome(parse("describe_pain")).alarm
    assert Outcome(Level.URGENT, asked=False).catches(Level.URGENT)
    assert not Outcome(Level.URGENT, asked=True).catches(Level.EMERGENCY)


def test_the_reply_for_a_child_counts_as_the_question_at_the_screen_s_level() -> None:
    # It names the 911 signs and sends the parent to the child's doctor; with no red flag it is no question.
    child = outcome(parse("about_child", red_flag={"level": "emergency", "tier": "possible", "child": True}))
    assert (child.level, child.asked) == (Level.EMERGENCY, True)
    assert child.catches(Level.EMERGENCY) and not child.alarm
    plain = outcome(parse("about_child", red_flag={"level": "none", "tier": "none", "child": True}))
    assert (plain.level, plain.asked) == (Level.NONE, False)


def test_only_contract_values_on_slot_filling_intents_count_as_facts() -> None:
    got = outcome(
        parse("describe_pain", [("pain_location", "ribs"), ("pain_timing", "coughing"), ("medication", "none")])
    )
    assert got.facts == (("pain_location", "ribs"), ("medication", "none"))
    assert outcome(parse("faq", [("pain_location", "ribs")])).facts == ()


def test_a_slot_holds_what_the_pain_form_would_keep() -> None:
    got = outcome(
        parse(
            "describe_pain",
            [
                ("pain_location", "ribs"),
                ("pain_location", "neck"),
                ("pain_timing", "lying_flat"),
                ("pain_timing", "after_coughing"),
                ("pain_timing", "lying_flat"),
            ],
        )
    )
    assert got.slot("pain_location") == ("ribs",)
    assert got.slot("pain_timing") == ("lying_flat", "after_coughing")
    assert got.slot("medication") == ()


def test_slot_accuracy_needs_every_timing_and_one_named_place() -> None:
    def example(slots: dict[str, tuple[str, ...]]) -> Example:
        return Example("x", "text", Level.NONE, (), "opening", slots)

    said: dict[str, tuple[str, ...]] = {
        "pain_location": ("ribs", "neck"),
        "pain_timing": ("after_coughing", "lying_flat"),
    }
    report = Report(
        "set",
        [
            (
                example(said),
                Outcome(Level.NONE, False, facts=(("pain_location", "neck"), ("pain_timing", "lying_flat"))),
            ),
            (example({"medication": ("none",)}), Outcome(Level.NONE, False, facts=(("pain_quality", "sharp"),))),
        ],
    )
    # neck is one of the places said; one of two timings is not enough; medicine missed; sharp unstated
    assert report.slot_accuracy() == (1, 3, 1)


def test_the_team_set_keeps_its_annotations_as_contract_values() -> None:
    examples = {e.text: e for e in team_examples()}
    example = examples["its a dull ache between my shoulder blades after i cough"]
    assert example.slots == {
        "pain_quality": ("dull_ache",),
        "pain_location": ("between_shoulder_blades",),
        "pain_timing": ("after_coughing",),
    }
    assert example.level is Level.NONE


def test_a_holdouts_first_unseen_figures_print_under_todays() -> None:
    caught = Example("e", "text", Level.EMERGENCY, ("chest_pain",), "story")
    benign = Example("b", "text", Level.NONE, (), "opening")
    results = [(caught, Outcome(Level.EMERGENCY, asked=False)), (benign, Outcome(Level.URGENT, asked=True))]
    first = {"emergency": First(20, 26, "2026-11-29, 802744b"), "asked": First(6, 28, "2026-11-29, 802744b")}
    lines = Report("hold-out", results, show_messages=False, first=first).lines()
    emergency = next(i for i, line in enumerate(lines) if line.startswith("  emergency recall 1/1"))
    assert lines[emergency + 1] == "    first unseen: recall 20/26 = 76.9% (2026-11-29, 802744b)"
    benign_line = next(i for i, line in enumerate(lines) if line.startswith("  no red flag: false alarms 0/1"))
    assert lines[benign_line + 1] == "    first unseen: confirming question 6/28 = 21.4% (2026-11-29, 802744b)"
    assert not any("first unseen" in line for line in Report("set", results).lines())


def test_the_earliest_measurement_gives_each_first_figure(tmp_path: Path) -> None:
    path = tmp_path / "first.yml"
    path.write_text(
        "holdout_9.yml:\n  measured:\n"
        "    - {date: '2026-12-01', commit: aaa, figures: {slots: [5, 10]}}\n"
        "    - {date: '2026-12-02', commit: bbb, figures: {slots: [9, 10], asked: [1, 4]}}\n",
        encoding="utf-8",
    )
    assert first_unseen(path) == {
        "holdout_9.yml": {"slots": First(5, 10, "2026-12-01, aaa"), "asked": First(1, 4, "2026-12-02, bbb")}
    }


def test_every_holdout_has_its_first_unseen_figures_recorded() -> None:
    recorded = first_unseen()
    assert set(recorded) == set(HOLDOUTS)
    for figures in recorded.values():
        assert figures and all(0 <= f.count <= f.total for f in figures.values())
    assert recorded["holdout_2.yml"]["emergency"] == First(20, 26, "2026-11-29, 802744b")
    assert recorded["holdout_3.yml"]["slots"] == First(97, 177, "2026-11-29, e1fc721")
