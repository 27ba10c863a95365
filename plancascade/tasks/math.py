"""Math answers: extract the final answer from a solution and decide when two answers are the same.

Equivalence is math-verify's (so `1/2`, `0.5` and `\\frac{1}{2}` are one answer). Its parser guards itself
with SIGALRM, which only works on the main thread; elsewhere (LangGraph's server runs nodes in worker
threads) it runs without the guard.
"""

import logging
import re
import threading
from functools import lru_cache

from math_verify import parse, verify

# math-verify warns on every call made without its timeout guard; we choose that knowingly off the main thread.
for _name in ("math_verify.parser", "math_verify.grader"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_TIMEOUT_S = 5
_FINAL_ANSWER = re.compile(r"final answer is:?\s*\$*([^\n$]+?)\$*\s*\.?\s*(?:\n|$)", re.IGNORECASE)
_HASHES = re.compile(r"####\s*([^\n]+)")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")


def _last_boxed(text: str) -> str | None:
    """Content of the last \\boxed{...} (or \\fbox{...}), with nested braces balanced."""
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    brace = text.find("{", start)
    if brace < 0:
        return None
    depth = 0
    for i in range(brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[brace + 1 : i].strip()
    return None


def extract_answer(text: str) -> str | None:
    """The final answer of a solution: the last \\boxed{...}, else "final answer is X", else "#### X",
    else the last number in the text; None when there is nothing that looks like an answer."""
    if (boxed := _last_boxed(text)) is not None:
        return None if boxed in ("", "answer") else boxed  # "answer": the prompt's placeholder, echoed
    for pattern in (_FINAL_ANSWER, _HASHES):
        if found := pattern.findall(text):
            return found[-1].strip().rstrip(".") or None
    if numbers := _NUMBER.findall(text):
        return numbers[-1].replace(",", "")
    return None


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@lru_cache(maxsize=65536)
def _parsed(answer: str) -> tuple:
    timeout = _TIMEOUT_S if _on_main_thread() else None
    return tuple(parse(f"\\boxed{{{answer}}}", parsing_timeout=timeout))


def _normalized(answer: str) -> str:
    return re.sub(r"\s+|\$|\\[,;!]|\\left|\\right", "", answer).rstrip(".")


_PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _plain_number(answer: str) -> float | None:
    """The value of an answer that is just a decimal number (with or without thousands separators), else None.
    "1,2" is not one: it may be a list of two solutions."""
    text = _normalized(answer)
    return float(text.replace(",", "")) if _PLAIN_NUMBER.fullmatch(text) else None


@lru_cache(maxsize=65536)
def same_answer(a: str, b: str) -> bool:
    """True when two answers are mathematically equal (math-verify), or equal as text when unparseable."""
    if _normalized(a) == _normalized(b):
        return True
    x, y = _plain_number(a), _plain_number(b)
    if x is not None and y is not None:  # the common case, decided without sympy
        return round(x, 6) == round(y, 6)
    pa, pb = _parsed(a), _parsed(b)
    if not pa or not pb:
        return False
    timeout = _TIMEOUT_S if _on_main_thread() else None
    return verify(list(pa), list(pb), timeout_seconds=timeout) or verify(list(pb), list(pa), timeout_seconds=timeout)


def group_answers(answers: list[str | None]) -> list[list[int]]:
    """Indices of equivalent answers, grouped; groups in order of first appearance; None answers left out."""
    groups: list[list[int]] = []
    for i, answer in enumerate(answers):
        if answer is None:
            continue
        for group in groups:
            if same_answer(answers[group[0]], answer):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def matches_reference(answer: str, reference: str) -> bool:
    """Grading: math-verify with the reference as gold (its comparison is not symmetric), or equal as text."""
    if _normalized(answer) == _normalized(reference):
        return True
    gold, predicted = _parsed(reference), _parsed(answer)
    timeout = _TIMEOUT_S if _on_main_thread() else None
    return bool(gold and predicted) and verify(list(gold), list(predicted), timeout_seconds=timeout)
