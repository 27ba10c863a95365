"""The evaluation harness: grading, the report's numbers, resuming after a kill, the response cache, datasets."""

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plancascade import CascadeConfig, ModelPrice
from plancascade.cli import app
from plancascade.errors import ConfigError
from plancascade.evals.datasets import load_problems
from plancascade.evals.report import summarize, write_report
from plancascade.evals.runner import RESULTS, read_results, run_eval
from plancascade.nodes.reasoner import plan_section
from plancascade.prompts import render_prompt
from plancascade.testing import ScriptedChatModel, count_tokens

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"benchmark data not found at {DATA}")
PRESETS = ["small", "small-vote", "large", "vote-cascade", "cope", "cope-lite"]
N = 6


def question(i: int) -> str:
    return f"Problem number {i}: compute {i} + {i}."


@pytest.fixture
def dataset(tmp_path) -> Path:
    """Six MATH-style problems; problem i has answer 2i and level 1 (i even) or 2 (i odd)."""
    path = tmp_path / "tiny.jsonl"
    rows = [{"problem": question(i), "answer": str(2 * i), "level": 1 + i % 2, "unique_id": f"p{i}"} for i in range(N)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def index_of(prompt: str) -> int:
    return int(prompt.split("Problem number ")[1].split(":")[0])


def known_models(latency: float = 0.0) -> dict[str, ScriptedChatModel]:
    """The small model is right on even problems (all 8 samples agree) and on odd ones gives every sample a
    different wrong answer; the large model is always right, in one token."""

    def small(call) -> str:
        i = index_of(call.prompt)
        return rf"\boxed{{{2 * i if i % 2 == 0 else 1000 + call.seed}}}"

    return {
        "small": ScriptedChatModel(
            model_name="little", latency=latency, rules=[(r"State the goal", "Find the sum."), (r"final answer", small)]
        ),
        "large": ScriptedChatModel(
            model_name="big",
            latency=latency,
            rules=[
                (r"Write guidelines", "Double it."),
                (r"final answer", lambda c: rf"\boxed{{{2 * index_of(c.prompt)}}}"),
            ],
        ),
    }


# The large model costs $1 per output token and nothing per input token, so dollars can be counted by hand.
PRICES = {"big": ModelPrice(input_per_million=0.0, output_per_million=1e6)}


def evaluate(problems, models, out, presets=PRESETS, **kwargs):
    config = CascadeConfig(models=models, prices=PRICES)
    return asyncio.run(run_eval(problems, presets, config, out, dataset="tiny", **kwargs))


def test_every_number_in_the_report_matches_the_hand_computed_value(dataset, tmp_path):
    models = known_models()
    problems = load_problems(str(dataset))
    out = tmp_path / "run"
    outcome = evaluate(problems, models, out)
    assert (outcome.finished, outcome.skipped, outcome.failures) == (N * len(PRESETS), 0, [])

    summaries = {s.preset: s for s in write_report(out)}
    # even problems: the small model is right and unanimous; odd: 8 different wrong answers (consensus 1/8)
    expected = {  # preset: (accuracy %, USD per million problems, settled at stage 1/2/3)
        "small": (50.0, 0.0, {1: 6}),
        "small-vote": (50.0, 0.0, {1: 6}),
        "large": (100.0, 1e6, {1: 6}),  # $1 (one output token) per problem
        "vote-cascade": (100.0, 0.5e6, {1: 3, 2: 3}),  # odd problems: the large model, $1
        "cope": (100.0, 1.5e6, {1: 3, 3: 3}),  # odd: guideline (2 tokens, $2) then the large solution ($1)
        "cope-lite": (50.0, 1e6, {1: 3, 2: 3}),  # odd: guideline ($2), then stage 2 stays wrong
    }
    assert list(summaries) == PRESETS
    for preset, (accuracy, usd_per_million, settled) in expected.items():
        s = summaries[preset]
        assert (s.problems, s.accuracy, s.usd_per_million, s.settled) == (N, accuracy, usd_per_million, settled)

    # paid tokens: input and output tokens of the large model's calls, from the prompts it was sent
    solve = lambda i, plans="": count_tokens(render_prompt("math", "reasoner", question=question(i), plans=plans)) + 1  # noqa: E731
    guideline = lambda i: count_tokens(render_prompt("math", "guideline_planner", question=question(i))) + 2  # noqa: E731
    g_l = [{"kind": "guideline", "text": "Double it."}]
    odd = [1, 3, 5]
    assert summaries["large"].paid_tokens == sum(solve(i) for i in range(N))
    assert summaries["vote-cascade"].paid_tokens == sum(solve(i) for i in odd)
    assert summaries["cope"].paid_tokens == sum(guideline(i) + solve(i, plan_section(g_l)) for i in odd)
    assert summaries["cope-lite"].paid_tokens == sum(guideline(i) for i in odd)
    assert summaries["small"].paid_tokens == summaries["small-vote"].paid_tokens == 0

    # levels: even problems are level 1, odd ones level 2
    assert summaries["small"].by_level == {1: (3, 3), 2: (0, 3)}
    assert summaries["cope"].by_level == {1: (3, 3), 2: (3, 3)}

    # identical calls are paid once: vote-cascade's large calls are large's; cope-lite's guidelines are cope's
    assert sum(s.usd_uncached for s in summaries.values()) == 6 + 3 + 9 + 6
    assert sum(s.usd_paid for s in summaries.values()) == 6 + 0 + 9 + 0
    assert len(models["large"].calls) == 6 + 3 + 3  # large alone, cope guidelines, cope stage-3 solutions

    report = (out / "report.md").read_text()
    assert "| cope | 6 | 100.0 | 1,500,000.00 | 3 / 0 / 3 |" in report
    assert "| vote-cascade | 6 | 100.0 | 500,000.00 | 3 / 3 / - |" in report
    assert "| small | 6 | 50.0 | 0.00 | 6 / - / - |" in report
    assert f"| {summaries['cope'].paid_tokens:,} |" in report
    # calls made twice, once cached (which preset of a pair pays depends on which asks first): small-vote's and
    # vote-cascade's 8 small samples; large's and vote-cascade's large calls on odd problems; all of cope-lite's
    # calls, which are cope's (stage 1: 8 plans + 8 solutions; odd problems: a guideline + 8 solutions)
    assert sum(s.cached_calls for s in summaries.values()) == 6 * 8 + 3 + (6 * 16 + 3 * 9)
    assert summaries["small"].cached_calls == 0
    assert "Cost of this run: $15.000000. Cost as if uncached: $24.000000" in report
    assert "| small | 100.0 | 0.0 |" in report  # by level
    assert (out / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cached_calls_are_marked_in_the_ledger_and_samples_stay_distinct(dataset, tmp_path):
    models = known_models()
    evaluate(load_problems(str(dataset)), models, tmp_path / "run", presets=["small-vote", "vote-cascade"])
    records = {(r["preset"], r["id"]): r for r in read_results(tmp_path / "run")}
    # the 8 samples differ only by seed: all 8 were asked (none served from another seed's answer)
    small_calls = [c for c in models["small"].calls if index_of(c.prompt) == 1]
    assert sorted(c.seed for c in small_calls) == list(range(8))
    # vote-cascade's 8 small samples are small-vote's, so exactly one of the two presets paid for them
    pairs = [(records["small-vote", f"p{i}"], records["vote-cascade", f"p{i}"]) for i in range(N)]
    for first, second in pairs:
        flags = [c["cached"] for c in first["calls"][:8]] + [c["cached"] for c in second["calls"][:8]]
        assert sorted(flags) == [False] * 8 + [True] * 8


def test_an_interrupted_run_resumes_without_duplicates_or_repeated_calls(dataset, tmp_path):
    models = known_models(latency=0.01)
    problems = load_problems(str(dataset))
    out = tmp_path / "run"
    config = CascadeConfig(models=models, prices=PRICES)

    async def interrupted() -> None:
        written = 0

        def stop_after_five(record) -> None:
            nonlocal written
            written += 1
            if written == 5:
                task.cancel()  # as if the process were killed here

        task = asyncio.create_task(
            run_eval(problems, PRESETS, config, out, dataset="tiny", concurrency=1, on_result=stop_after_five)
        )
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    assert len(read_results(out)) == 5
    with (out / RESULTS).open("a") as results:
        results.write('{"preset": "cope", "id": "p5", "torn')  # a line cut short by the kill

    outcome = asyncio.run(run_eval(problems, PRESETS, config, out, dataset="tiny", concurrency=3))
    assert (outcome.skipped, outcome.finished) == (5, N * len(PRESETS) - 5)
    keys = [(r["preset"], r["id"]) for r in read_results(out)]
    assert len(keys) == len(set(keys)) == N * len(PRESETS)
    for model in models.values():
        asked = [(c.prompt, c.temperature, c.seed) for c in model.calls]
        assert len(asked) == len(set(asked)), "a model call was repeated"


def test_a_rerun_with_other_models_in_the_same_folder_is_refused(dataset, tmp_path):
    problems = load_problems(str(dataset))[:1]
    evaluate(problems, known_models(), tmp_path / "run", presets=["small"])
    other = known_models()
    other["small"].model_name = "another"
    with pytest.raises(ConfigError, match="holds a run with other settings"):
        evaluate(problems, other, tmp_path / "run", presets=["small"])


def test_report_command_re_renders_from_results(dataset, tmp_path):
    evaluate(load_problems(str(dataset)), known_models(), tmp_path / "run", presets=["small", "large"])
    assert not (tmp_path / "run" / "report.md").exists()  # run_eval writes results; reports render from them
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["report", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "| large | 6 | 100.0 | 1,000,000.00 | 6 / - / - |" in (tmp_path / "run" / "report.md").read_text()
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no results in" in missing.output


@needs_data
@pytest.mark.parametrize(
    ("name", "count", "first_reference", "level"),
    [("gsm8k", 1319, "18", None), ("math500", 500, r"\left( 3, \frac{\pi}{2} \right)", 2), ("aime24", 30, "204", None)],
)
def test_the_three_benchmarks_load_from_the_data_folder(name, count, first_reference, level):
    problems = load_problems(name, DATA)
    assert len(problems) == count
    assert (problems[0]["reference"], problems[0]["level"]) == (first_reference, level)
    assert len(load_problems(name, DATA, limit=3)) == 3


@pytest.mark.parametrize(
    ("answer", "reference", "grader", "correct"),
    [
        ("18", "18", "gsm8k", True),
        (r"\$18.00", "18", "gsm8k", True),
        ("1,234", "1234", "gsm8k", True),
        ("17", "18", "gsm8k", False),
        (None, "18", "gsm8k", False),
        ("14/3", r"\frac{14}{3}", "math", True),
        (r"(3, \frac{\pi}{2})", r"\left( 3, \frac{\pi}{2} \right)", "math", True),
        ("5", r"\frac{14}{3}", "math", False),
        ("033", "33", "math", True),
    ],
)
def test_grading(answer, reference, grader, correct):
    from plancascade.evals.grading import is_correct

    assert is_correct(answer, reference, grader) is correct


def test_bad_datasets_say_what_is_wrong(tmp_path):
    with pytest.raises(ConfigError, match="unknown dataset 'mmlu'"):
        load_problems("mmlu", tmp_path)
    with pytest.raises(ConfigError, match="does not exist: --data-dir must hold gsm8k/test.jsonl"):
        load_problems("gsm8k", tmp_path)
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"prompt": "x"}\n')
    with pytest.raises(ConfigError, match="record 1 has fields \\['prompt'\\]"):
        load_problems(str(odd))


@needs_data
@pytest.mark.integration
def test_smoke_three_gsm8k_problems_with_the_embedded_model(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = tmp_path / "smoke"
    args = [
        "eval",
        "--dataset",
        "gsm8k",
        "--data-dir",
        str(DATA),
        "--limit",
        "3",
        "--presets",
        "small,cope",
        "--samples",
        "2",
        "--max-tokens",
        "48",
        "--out",
        str(out),
    ]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, args)
    assert result.exit_code == 0, result.output
    records = read_results(out)
    assert sorted((r["preset"], r["id"]) for r in records) == sorted(
        (p, str(i)) for p in ("small", "cope") for i in range(3)
    )
    assert all(r["calls"] and all(c["provider"] == "llamacpp" for c in r["calls"]) for r in records)
    assert summarize(records)[0].problems == 3
    assert (out / "report.md").exists() and (out / "frontier.png").stat().st_size > 0
    assert "| cope | 3 |" in (out / "report.md").read_text()
