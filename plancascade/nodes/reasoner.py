"""Reasoner: n full solutions written concurrently, sample i with seed (base seed + i), following its plans."""

import asyncio

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, Plan, Sample
from plancascade.models.calls import call_tier
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
    briefs = state["briefs"]
    results = await asyncio.gather(
        *(
            call_tier(
                config, stage.reasoner,
                render_prompt(task, "reasoner", question=state["question"], plans=plan_section(briefs[i])),
                stage=index + 1, node="reasoner", temperature=stage.reasoner_temperature, seed=config.seed + i,
            )
            for i in range(stage.samples)
        )
    )  # fmt: skip
    samples = [
        Sample(index=i, seed=config.seed + i, plans=briefs[i], text=text, answer=None)
        for i, (text, _) in enumerate(results)
    ]
    return {"samples": samples, "calls": state["calls"] + [call for _, call in results]}
