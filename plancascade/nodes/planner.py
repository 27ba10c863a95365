"""Planner: writes the stage's plans and decides which plans each reasoner sample is conditioned on."""

from plancascade.errors import ConfigError
from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, Plan
from plancascade.models.calls import call_samples, failure_note
from plancascade.prompts import render_prompt

_TEMPLATES = {"goal": "goal_planner", "guideline": "guideline_planner"}


def check_question(question: str | None) -> None:
    if not (question or "").strip():
        raise ConfigError("the question is empty: pass the problem text as {'question': '...'}")


def _starts_afresh(state: CascadeState) -> bool:
    """A new problem: the first run, a new input after a settled one, or another question after a failure.
    Otherwise the run continues the unfinished work in the state (after a failed call)."""
    return state.get("settled", True) or state.get("asked") != state.get("question")


async def planner(state: CascadeState, config: CascadeConfig) -> dict:
    """Stage with a planner tier: one plan per sample (goal plans) or one shared plan, written concurrently; the
    reasoner sees the plan carried from the previous stage (g_S) and then the new one. Stage without a planner:
    the reasoner sees the carried plan alone."""
    fresh = _starts_afresh(state)
    if fresh:
        check_question(state.get("question"))
        config.check()
    index = 0 if fresh else state["stage_index"]
    stage = config.stages()[index]
    number, task = index + 1, state.get("task") or "math"
    carried = [] if fresh or not state.get("carried_plan") else [state["carried_plan"]]
    plans: list[Plan] = [] if fresh else list(state.get("plans", []))
    calls = [] if fresh else list(state.get("calls", []))
    update: dict = {"settled": False, "asked": state["question"], "stage_index": index, "error": None}
    if fresh:
        update.update(stages=[], carried_plan=None, samples=[])

    if stage.plan == "none":
        briefs: list[list[Plan]] = [[] for _ in range(stage.samples)]
    elif stage.planner is None:
        briefs = [list(carried) for _ in range(stage.samples)]
    else:
        prompt = render_prompt(task, _TEMPLATES[stage.plan], question=state["question"])
        count = stage.samples if stage.plan_per_sample else 1
        # After a failed call, only the plans still missing are written.
        written = {p["sample"] or 0: p for p in plans if p["stage"] == number}
        missing = [i for i in range(count) if i not in written]
        answers, error = await call_samples(
            config,
            stage.planner,
            dict.fromkeys(missing, prompt),
            stage=number,
            node="planner",
            temperature=stage.planner_temperature,
        )
        for i, (text, call) in sorted(answers.items()):
            written[i] = Plan(
                stage=number,
                kind=stage.plan,
                tier=stage.planner,
                text=text.strip(),
                sample=i if stage.plan_per_sample else None,
            )
            calls.append(call)
        plans = [p for p in plans if p["stage"] != number] + [written[i] for i in sorted(written)]
        if error:
            return {**update, "plans": plans, "calls": calls, "error": failure_note(error, calls)}
        briefs = [carried + [written[i if stage.plan_per_sample else 0]] for i in range(stage.samples)]

    return {**update, "plans": plans, "calls": calls, "briefs": briefs}
