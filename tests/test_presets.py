"""Every method is a preset of one builder; each calls exactly the tiers it should (from the call logs)."""

import asyncio

import pytest

from plancascade import PRESETS, CascadeConfig, Stage, build_graph
from plancascade.errors import ConfigError
from plancascade.testing import ScriptedChatModel
from tests.scripted import QUESTION, cope_models


def tier_log(models: dict[str, ScriptedChatModel]) -> dict[str, list[tuple[str, float, int]]]:
    """Per tier: (role, temperature, seed) of each call, in sorted order (concurrent calls finish in any order)."""

    def role(prompt: str) -> str:
        return "goal" if "State the goal" in prompt else "guideline" if "Write guidelines" in prompt else "solve"

    return {tier: sorted((role(c.prompt), c.temperature, c.seed) for c in m.calls) for tier, m in models.items()}


def run(preset, models, **config) -> dict:
    context = CascadeConfig(models=models, preset=preset, **config)
    return asyncio.run(build_graph().compile().ainvoke({"question": QUESTION}, context=context))


def test_small_is_one_greedy_small_sample_without_a_plan():
    models = cope_models()
    result = run("small", models)
    assert tier_log(models) == {"small": [("solve", 0.0, 0)], "large": []}
    assert result["plans"] == [] and result["stage"] == 1


def test_small_vote_is_eight_small_samples_and_a_majority():
    models = cope_models(stage1=3)
    result = run("small-vote", models)
    assert tier_log(models) == {"small": [("solve", 0.8, seed) for seed in range(8)], "large": []}
    assert (result["answer"], result["confidence"]) == ("72", 3 / 8)


def test_large_is_one_greedy_large_sample():
    models = cope_models()
    run("large", models)
    assert tier_log(models) == {"small": [], "large": [("solve", 0.0, 0)]}


@pytest.mark.parametrize(("agree", "large_calls"), [(6, []), (5, [("solve", 0.0, 0)])])
def test_vote_cascade_calls_the_large_model_only_below_the_threshold(agree, large_calls):
    models = cope_models(stage1=agree)
    result = run("vote-cascade", models)
    log = tier_log(models)
    assert log["small"] == [("solve", 0.8, seed) for seed in range(8)]
    assert log["large"] == large_calls
    assert result["plans"] == []


def test_cope_lite_stops_at_stage_2_with_its_majority():
    models = cope_models(stage1=5, stage2=3)
    result = run("cope-lite", models)
    assert (result["stage"], result["answer"], result["confidence"]) == (2, "72", 3 / 8)
    assert tier_log(models)["large"] == [("guideline", 0.8, 0)]


def test_cope_calls_every_tier_in_its_role():
    models = cope_models(stage1=5, stage2=3)
    run("cope", models)
    log = tier_log(models)
    assert log["small"] == sorted(
        [("goal", 0.8, s) for s in range(8)]
        + [("solve", 0.4, s) for s in range(8)]
        + [("solve", 0.8, s) for s in range(8)]
    )
    assert log["large"] == [("guideline", 0.8, 0), ("solve", 0.0, 0)]


def test_a_third_tier_is_just_another_name():
    models = cope_models(stage1=2, stage2=2)
    models["medium"] = ScriptedChatModel(rules=[(r"final answer", r"\boxed{72}")])
    stages = [
        Stage(reasoner="small", samples=8, reasoner_temperature=0.8, threshold=0.75),
        Stage(reasoner="medium", samples=4, reasoner_temperature=0.5, threshold=0.75),
        Stage(reasoner="large"),
    ]
    result = run(stages, models)
    assert result["stage"] == 2
    assert tier_log(models)["medium"] == [("solve", 0.5, s) for s in range(4)]
    assert tier_log(models)["large"] == []


def test_presets_are_the_papers_settings():
    s1, s2, s3 = PRESETS["cope"]
    assert (s1.planner, s1.plan, s1.plan_per_sample, s1.reasoner, s1.samples, s1.threshold) == (
        "small",
        "goal",
        True,
        "small",
        8,
        0.75,
    )
    assert (s1.planner_temperature, s1.reasoner_temperature) == (0.8, 0.4)
    assert (s2.planner, s2.plan, s2.reasoner, s2.samples, s2.threshold) == ("large", "guideline", "small", 8, 0.5)
    assert (s2.planner_temperature, s2.reasoner_temperature) == (0.8, 0.8)
    assert (s3.planner, s3.plan, s3.reasoner, s3.samples, s3.reasoner_temperature) == (
        None,
        "guideline",
        "large",
        1,
        0.0,
    )
    assert PRESETS["cope-lite"] == (s1, s2)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"preset": "fast"},
            "unknown preset 'fast'; choose one of: small, small-vote, large, vote-cascade, cope, cope-lite",
        ),
        ({"models": {"small": "ollama:x"}}, "tier(s) large but `models` has only small"),
        ({"stage_overrides": {4: {"samples": 2}}}, "names stage 4, but the cascade has 3 stages"),
        ({"preset": [Stage(reasoner="small", plan="guideline")]}, "stage 1 reuses a plan"),
    ],
)
def test_bad_configuration_says_what_to_fix(config, message):
    with pytest.raises(ConfigError, match=None) as error:
        CascadeConfig(**config).stages()
    assert message in str(error.value)


def test_stage_overrides_change_samples_and_temperatures():
    models = cope_models(stage1=8)
    run("cope", models, stage_overrides={1: {"samples": 3, "reasoner_temperature": 0.2}})
    assert [c for c in tier_log(models)["small"] if c[0] == "solve"] == [("solve", 0.2, s) for s in range(3)]
