"""plancascade: a small free LLM and a large paid LLM solve reasoning problems together.

The COPE cascade (arXiv 2506.11578) as one LangGraph graph: planners write short plans, reasoners write full
solutions that follow them, a verifier measures agreement and escalation moves unsure problems to the next,
costlier stage.
"""

from plancascade.graphs.config import CascadeConfig, ModelPrice, StageOverride
from plancascade.graphs.cope import build_graph
from plancascade.graphs.presets import PRESETS, Stage

__all__ = ["PRESETS", "CascadeConfig", "ModelPrice", "Stage", "StageOverride", "build_graph"]
