"""Reasoner: n full solutions written concurrently, sample i with seed (base seed + i), following its plans."""

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, Plan, Sample
from plancascade.models.calls import call_samples, failure_note
from plancascade.prompts import render_prompt


def plan_section(plans: list[Plan]) -> str:
    """The part of the reasoner prompt that carries the plans (empty when there are none)."""
    if not plans:
        return ""
    return "\n\nFollow this plan.\n" + "\n".join(f"{plan['kind'].capitalize()}: {plan['text']}" for plan in plans)


async def reasoner(state: CascadeState, config: CascadeConfig) -> dict:
    index = state["stage_index"]
    stage = config.stages()[index]
    task = state.get("task") or "math"
    briefs, calls = state["briefs"], list(state["calls"])
    # After a failed call, only the samples still missing are written.
    done = {sample["index"]: sample for sample in state.get("samples", [])}
    missing = [i for i in range(stage.samples) if i not in done]
    prompts = {
        i: render_prompt(task, "reasoner", question=state["question"], plans=plan_section(briefs[i])) for i in missing
    }
    answers, error = await call_samples(
        config, stage.reasoner, prompts, stage=index + 1, node="reasoner", temperature=stage.reasoner_temperature
    )
    for i, (text, call) in sorted(answers.items()):
        done[i] = Sample(index=i, seed=config.seed + i, plans=briefs[i], text=text, answer=None)
        calls.append(call)
    update = {"samples": [done[i] for i in sorted(done)], "calls": calls}
    return {**update, "error": failure_note(error, calls)} if error else update
