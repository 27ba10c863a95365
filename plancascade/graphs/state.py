"""The graph's state: what comes in, what goes out, and what the nodes pass between them."""

from typing import Literal, NotRequired, TypedDict


class Plan(TypedDict):
    """A short plan written by a planner (or carried over from an earlier stage)."""

    stage: int  # 1-based stage that wrote it
    kind: Literal["goal", "guideline"]
    tier: str
    text: str
    sample: int | None  # the sample it was written for (per-sample goal plans), else None


class Sample(TypedDict):
    """One reasoner sample of a stage."""

    index: int
    seed: int
    plans: list[Plan]  # the plans its prompt carried
    text: str
    answer: str | None  # filled in by the verifier


class Vote(TypedDict):
    """The verifier's verdict on one stage's samples."""

    answer: str | None  # the majority answer
    consensus: float  # count of the majority answer / number of samples
    votes: dict[str, int]  # each distinct answer (first spelling seen) -> its count
    majority: list[int]  # sample indices that gave the majority answer


class StageReport(TypedDict):
    """What happened in one stage, for people and for the CLI."""

    stage: int
    name: str
    samples: int
    answer: str | None
    consensus: float
    threshold: float
    votes: dict[str, int]
    accepted: bool


class Call(TypedDict):
    """One model call in the cost ledger."""

    stage: int
    node: Literal["planner", "reasoner"]
    tier: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    usd: float | None  # the call's price (None when a paid model's price is unknown), cached or not
    cached: bool  # answered from the response cache: nothing was paid this time
    seconds: float


class CascadeInput(TypedDict):
    question: str
    task: NotRequired[str]  # "math" (default); the field exists for code and open-ended tasks


class CascadeOutput(TypedDict, total=False):
    question: str
    answer: str | None  # the extracted final answer
    solution: str  # the accepted full text
    stage: int  # 1-based stage that settled the problem
    confidence: float  # consensus of the settling stage
    cost_usd: float  # dollars paid for this problem in this run (calls answered from the cache cost nothing)
    cost_usd_uncached: float  # dollars as if nothing were cached: the figure comparable across runs and papers
    calls: list[Call]  # the ledger
    plans: list[Plan]
    stages: list[StageReport]
    error: str | None  # set when a model call failed for good; the work done so far stays in the state


class CascadeState(CascadeOutput, total=False):
    task: str
    settled: bool  # the current problem is done; a new input on the same thread starts afresh
    asked: str  # the question the work in progress belongs to (a failed run resumes only for the same one)
    stage_index: int  # 0-based stage being run
    carried_plan: Plan | None  # g_S: the plan of a majority sample, carried to the next stage
    briefs: list[list[Plan]]  # per sample: the plans its reasoner prompt carries
    samples: list[Sample]
    vote: Vote
