"""Planner: writes the stage's plans and decides which plans each reasoner sample is conditioned on."""

import asyncio

from plancascade.errors import ConfigError
from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, Plan
from plancascade.models.calls import call_tier
from plancascade.prompts import render_prompt

_TEMPLATES = {"goal": "goal_planner", "guideline": "guideline_planner"}


async def planner(state: CascadeState, config: CascadeConfig) -> dict:
    """Stage with a planner tier: one plan per sample (goal plans) or one shared plan, written concurrently; the
    reasoner sees the plan carried from the previous stage (g_S) and then the new one. Stage without a planner:
    the reasoner sees the carried plan alone. Also starts a new problem afresh when the last one was settled."""
    fresh = state.get("settled", True)
    if fresh and not (state.get("question") or "").strip():
        raise ConfigError("the question is empty: pass the problem text as {'question': '...'}")
    index = 0 if fresh else state["stage_index"]
    stage = config.stages()[index]
    number, task = index + 1, state.get("task") or "math"
    carried = [] if fresh or not state.get("carried_plan") else [state["carried_plan"]]
    plans: list[Plan] = [] if fresh else list(state.get("plans", []))
    calls = [] if fresh else list(state.get("calls", []))

    if stage.plan == "none":
        briefs: list[list[Plan]] = [[] for _ in range(stage.samples)]
    elif stage.planner is None:
        briefs = [list(carried) for _ in range(stage.samples)]
    else:
        prompt = render_prompt(task, _TEMPLATES[stage.plan], question=state["question"])
        count = stage.samples if stage.plan_per_sample else 1
        results = await asyncio.gather(
            *(
                call_tier(config, stage.planner, prompt, stage=number, node="planner",
                          temperature=stage.planner_temperature, seed=config.seed + i)
                for i in range(count)
            )
        )  # fmt: skip
        new = [
            Plan(stage=number, kind=stage.plan, tier=stage.planner, text=text.strip(),
                 sample=i if stage.plan_per_sample else None)
            for i, (text, _) in enumerate(results)
        ]  # fmt: skip
        plans += new
        calls += [call for _, call in results]
        briefs = [carried + [new[i if stage.plan_per_sample else 0]] for i in range(stage.samples)]

    update: dict = {"settled": False, "stage_index": index, "plans": plans, "calls": calls, "briefs": briefs}
    if fresh:
        update.update(stages=[], carried_plan=None)
    return update
