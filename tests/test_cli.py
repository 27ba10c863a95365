"""`plancascade solve` with scripted models chosen by spec strings (scripted:RULES.json)."""

import json

import pytest
from typer.testing import CliRunner

from plancascade.cli import app

runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not fold the tables


@pytest.fixture
def specs(tmp_path) -> dict[str, str]:
    """Rule files: 5 of 8 small samples agree in stage 1 (escalate), all 8 in stage 2 (accept)."""
    small = {
        "model": "tiny",
        "rules": [
            {"pattern": "State the goal", "reply": "Find the total."},
            {"pattern": "Guideline:", "reply": "Therefore, the final answer is: $\\boxed{72}$"},
            {"pattern": "final answer", "reply": ["\\boxed{72}"] * 5 + ["\\boxed{1}", "\\boxed{2}", "\\boxed{3}"]},
        ],
    }
    large = {"model": "gpt-4o-mini", "rules": [{"pattern": "Write guidelines", "reply": "Add the two months."}]}
    paths = {}
    for name, rules in (("small", small), ("large", large)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(rules))
        paths[name] = f"scripted:{path}"
    return paths


def test_solve_prints_answer_stage_consensus_plans_and_cost(specs):
    result = runner.invoke(app, ["solve", "How many clips?", "--small", specs["small"], "--large", specs["large"]])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Answer: 72" in out
    assert "settled at stage 2 with consensus 1.00" in out
    assert "0.62" in out and "72: 5" in out  # stage 1's consensus and votes
    assert "stage 2 guideline by large: Add the two months." in out
    assert "scripted:gpt-4o-mini" in out and "scripted:tiny" in out


def test_solve_json_prints_the_output_state(specs):
    result = runner.invoke(
        app, ["solve", "How many clips?", "--small", specs["small"], "--large", specs["large"], "--json"]
    )
    assert result.exit_code == 0, result.output
    state = json.loads(result.output)
    assert (state["answer"], state["stage"], state["confidence"]) == ("72", 2, 1.0)
    assert len(state["calls"]) == 8 + 8 + 1 + 8 and state["cost_usd"] == 0.0
    assert {"question", "solution", "plans", "stages"} <= state.keys()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--small", "scripted:x.json"], "the question is empty"),
        (["q", "--small", "qwen"], "malformed model spec 'qwen': write PROVIDER:MODEL"),
        (["q", "--large", "acme:big"], "unknown model provider 'acme'"),
        (["q", "--preset", "fastest"], "unknown preset 'fastest'"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_code_2(args, message):
    result = runner.invoke(app, ["solve", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
