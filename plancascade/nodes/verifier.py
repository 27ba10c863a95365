"""Verifier: reads each sample's final answer and measures agreement (math: majority vote)."""

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeState, Vote
from plancascade.tasks.math import extract_answer, group_answers


def majority_vote(answers: list[str | None]) -> Vote:
    """Equivalent answers are one vote; consensus = top count / number of samples (unreadable answers count in
    the denominator). Ties go to the answer seen first, so the verdict is deterministic."""
    groups = group_answers(answers)
    top = max(groups, key=len, default=[])  # max keeps the first of equal-sized groups
    return Vote(
        answer=answers[top[0]] if top else None,
        consensus=len(top) / len(answers) if answers else 0.0,
        votes={answers[group[0]]: len(group) for group in groups},
        majority=top,
    )


async def verifier(state: CascadeState, config: CascadeConfig) -> dict:
    samples = [{**sample, "answer": extract_answer(sample["text"])} for sample in state["samples"]]
    return {"samples": samples, "vote": majority_vote([sample["answer"] for sample in samples])}
