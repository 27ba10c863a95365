"""Is a predicted final answer right? GSM8K by the number; MATH-500 and AIME by math-verify equivalence."""

import re

from plancascade.evals.datasets import Grader
from plancascade.tasks.math import matches_reference

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _number(text: str) -> float | None:
    found = _NUMBER.findall(text.replace("\\$", "").replace("$", ""))
    if len(found) != 1:
        return None
    try:
        return float(found[0].replace(",", ""))
    except ValueError:
        return None


def is_correct(answer: str | None, reference: str, grader: Grader) -> bool:
    if answer is None:
        return False
    if grader == "gsm8k":
        predicted, expected = _number(answer), _number(reference)
        if predicted is not None and expected is not None:
            return predicted == expected  # "$18.00", "18 dollars" and "18" are all 18
    return matches_reference(answer, reference)
