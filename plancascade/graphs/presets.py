"""Stages as data: a preset is a list of stages, and every method (COPE and its baselines) is a preset."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Stage(BaseModel):
    """One round of the cascade.

    `plan` says what plan the reasoner is conditioned on. With a `planner` tier the stage writes a fresh plan
    of that kind (one per sample when `plan_per_sample`, else one shared plan), and the reasoner also sees the
    plan carried from the previous stage (g_S). Without a planner the stage reuses the latest plan written.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    reasoner: str = Field(description="tier that writes the solutions")
    samples: int = Field(1, ge=1)
    reasoner_temperature: float = Field(0.0, ge=0.0)
    plan: Literal["goal", "guideline", "none"] = "none"
    planner: str | None = Field(None, description="tier that writes this stage's plan; None reuses the latest")
    plan_per_sample: bool = False
    planner_temperature: float = Field(0.8, ge=0.0)
    threshold: float = Field(0.0, ge=0.0, le=1.0, description="accept when consensus >= threshold")

    def tiers(self) -> set[str]:
        return {self.reasoner} | ({self.planner} if self.planner and self.plan != "none" else set())


_COPE_1 = Stage(
    name="small goal plans, small reasoner",
    plan="goal",
    planner="small",
    plan_per_sample=True,
    planner_temperature=0.8,
    reasoner="small",
    samples=8,
    reasoner_temperature=0.4,
    threshold=0.75,
)
_COPE_2 = Stage(
    name="large guideline, small reasoner",
    plan="guideline",
    planner="large",
    planner_temperature=0.8,
    reasoner="small",
    samples=8,
    reasoner_temperature=0.8,
    threshold=0.5,
)
_COPE_3 = Stage(name="large reasoner on the guideline", plan="guideline", reasoner="large")
_SMALL_VOTE = Stage(name="small majority vote", reasoner="small", samples=8, reasoner_temperature=0.8)

# In the order of the paper's tables: baselines first, then COPE.
PRESETS: dict[str, tuple[Stage, ...]] = {
    "small": (Stage(name="small alone", reasoner="small"),),
    "small-vote": (_SMALL_VOTE,),
    "large": (Stage(name="large alone", reasoner="large"),),
    # Yue et al.'s cascade: the paper's "Cascade (vote)" baseline.
    "vote-cascade": (_SMALL_VOTE.model_copy(update={"threshold": 0.75}), Stage(name="large alone", reasoner="large")),
    "cope": (_COPE_1, _COPE_2, _COPE_3),
    "cope-lite": (_COPE_1, _COPE_2),
}
