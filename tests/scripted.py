"""Test helpers: scripted small and large models whose agreement per stage is set by the test."""

from collections.abc import Callable

from plancascade.testing import ScriptedCall, ScriptedChatModel

QUESTION = "Natalia sold clips to 48 of her friends in April, and half as many in May. How many clips in all?"
GUIDELINE = "Add the April sales to half of them for May."


def agreeing(count: int, answer: str = "72") -> Callable[[ScriptedCall], str]:
    """A reasoner reply where samples with seed % 8 < count give `answer` and every other sample a distinct
    wrong answer, so the stage's consensus is exactly count / 8."""

    def reply(call: ScriptedCall) -> str:
        value = answer if call.seed % 8 < count else str(100 + call.seed)
        return f"Step by step. Therefore, the final answer is: $\\boxed{{{value}}}$"

    return reply


def cope_models(stage1: int = 8, stage2: int = 8, large_answer: str = "72") -> dict[str, ScriptedChatModel]:
    """Scripted small and large models for COPE: `stage1` and `stage2` of 8 small samples agree on 72."""
    small = ScriptedChatModel(
        model_name="small-scripted",
        rules=[
            (r"State the goal", lambda call: f"Find the total number of clips (plan {call.seed})."),
            (r"Guideline:", agreeing(stage2)),
            (r"final answer", agreeing(stage1)),
        ],
    )
    large = ScriptedChatModel(
        model_name="large-scripted",
        rules=[
            (r"Write guidelines", GUIDELINE),
            (r"final answer", f"April 48, May 24. Therefore, the final answer is: $\\boxed{{{large_answer}}}$"),
        ],
    )
    return {"small": small, "large": large}
