"""Escalation: the one place that decides to accept the stage's answer or move to the next stage."""

import random
from typing import Literal

from langgraph.graph import END

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, StageReport
from plancascade.models.pricing import total_usd


async def escalation(state: CascadeState, config: CascadeConfig) -> dict:
    """Accept when consensus >= the stage's threshold or the stage is the last; otherwise move on, carrying the
    plan a majority sample followed (g_S), picked with a seeded choice so reruns carry the same plan."""
    stages = config.stages()
    index, vote, samples = state["stage_index"], state["vote"], state["samples"]
    stage = stages[index]
    accept = index == len(stages) - 1 or vote["consensus"] >= stage.threshold
    report = StageReport(
        stage=index + 1,
        name=stage.name,
        samples=len(samples),
        answer=vote["answer"],
        consensus=vote["consensus"],
        threshold=stage.threshold,
        votes=vote["votes"],
        accepted=accept,
    )
    reports = state.get("stages", []) + [report]
    if accept:
        chosen = samples[vote["majority"][0]] if vote["majority"] else samples[0]
        return {
            "settled": True,
            "stages": reports,
            "answer": vote["answer"],
            "solution": chosen["text"],
            "stage": index + 1,
            "confidence": vote["consensus"],
            "cost_usd": total_usd(state["calls"]),
            "cost_usd_uncached": total_usd(state["calls"], uncached=True),
        }
    majority = vote["majority"] or [sample["index"] for sample in samples]
    chosen = samples[random.Random(config.seed * 1009 + index).choice(majority)]
    carried = (chosen["plans"] or [None])[-1]
    return {"stages": reports, "stage_index": index + 1, "carried_plan": carried, "samples": []}


def route(state: CascadeState) -> Literal["planner", "__end__"]:
    """The conditional edge after escalation: END once the problem is settled, else the next stage's planner."""
    return END if state.get("settled") else "planner"
