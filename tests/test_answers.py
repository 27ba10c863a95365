"""Reading final answers and counting votes: equivalent answers in different forms are one vote."""

import asyncio

import pytest

from plancascade import CascadeConfig, build_graph
from plancascade.nodes.verifier import majority_vote
from plancascade.tasks.math import extract_answer, same_answer
from plancascade.testing import ScriptedChatModel


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        (r"so $x = \boxed{\frac{1}{2}}$.", r"\frac{1}{2}"),
        (r"first \boxed{3}, then corrected: \boxed{\{1, \{2\}\}}", r"\{1, \{2\}\}"),
        ("Therefore, the final answer is: $42$", "42"),
        ("The final answer is 12.", "12"),
        ("She has 5 apples.\n#### 1,234", "1,234"),
        ("We get 3 and then 7.5 in the end", "7.5"),
        ("I cannot solve this.", None),
        (r"\boxed{}", None),
    ],
)
def test_extract_answer(text, answer):
    assert extract_answer(text) == answer


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("1/2", r"\frac{1}{2}", True),
        ("0.5", r"\dfrac12", True),
        ("1,234", "1234", True),
        ("1,2", "12", False),
        ("2.50", "2.5", True),
        ("x + 1", "1 + x", True),
        (r"\text{(A)}", "(A)", True),
        ("3", "4", False),
        ("1/2", "2", False),
    ],
)
def test_same_answer(a, b, same):
    assert same_answer(a, b) is same


def test_majority_vote_groups_equivalent_forms_and_breaks_ties_by_first_seen():
    vote = majority_vote(["1/2", "3", r"\frac{1}{2}", "3", "0.5", None, "3.0", "7"])
    assert vote["answer"] == "1/2" and vote["consensus"] == 3 / 8
    assert vote["votes"] == {"1/2": 3, "3": 3, "7": 1}
    assert vote["majority"] == [0, 2, 4]
    assert majority_vote([None, None])["answer"] is None


def test_equivalent_answers_in_different_forms_count_as_one_vote_in_the_graph():
    forms = ["1/2", r"\frac{1}{2}", "0.5", r"\dfrac{1}{2}", "0.50", "2/4", "3", "4"]
    small = ScriptedChatModel(
        rules=[(r"State the goal", "Find the fraction."), (r"final answer", lambda c: rf"\boxed{{{forms[c.seed]}}}")]
    )
    config = CascadeConfig(models={"small": small, "large": ScriptedChatModel(default="unused")})
    result = asyncio.run(build_graph().compile().ainvoke({"question": "Half of one?"}, context=config))
    assert (result["stage"], result["confidence"]) == (1, 0.75)
    assert result["stages"][0]["votes"] == {"1/2": 6, "3": 1, "4": 1}
