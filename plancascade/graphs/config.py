"""CascadeConfig: the graph's context schema (which model plays each tier, which stages run, prices)."""

import asyncio
import os
from typing import Annotated
from weakref import WeakKeyDictionary

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic.json_schema import SkipJsonSchema

from plancascade.errors import ConfigError
from plancascade.graphs.presets import PRESETS, Stage
from plancascade.models.sampling import with_sampling
from plancascade.models.specs import parse_spec, resolve_model

# A tier's model: a spec string ("ollama:qwen2.5:1.5b", "openai:gpt-4o-mini", ...) or a chat-model instance.
ModelLike = str | SkipJsonSchema[BaseChatModel]

EMBEDDED = "llamacpp:smollm2"  # SmolLM2-135M-Instruct in process: works offline, proves the plumbing, often wrong
CLOUD_DEFAULT = "openai:gpt-4o-mini"


def default_models() -> dict[str, str]:
    """The embedded model for the small tier; gpt-4o-mini for the large tier when OPENAI_API_KEY is set, else
    the embedded model plays it too (so a fresh install runs with no network at all)."""
    return {"small": EMBEDDED, "large": CLOUD_DEFAULT if os.environ.get("OPENAI_API_KEY") else EMBEDDED}


class ModelPrice(BaseModel):
    """USD per million tokens; overrides the price library for one model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_per_million: float = Field(ge=0.0)
    output_per_million: float = Field(ge=0.0)


class StageOverride(BaseModel):
    """Per-stage changes on top of a preset; unset fields keep the preset's value."""

    model_config = ConfigDict(extra="forbid")

    samples: int | None = Field(None, ge=1)
    planner_temperature: float | None = Field(None, ge=0.0)
    reasoner_temperature: float | None = Field(None, ge=0.0)
    threshold: float | None = Field(None, ge=0.0, le=1.0)


class CascadeConfig(BaseModel):
    """How one run of the cascade is set up. Pass as `graph.invoke(input, context=CascadeConfig(...))`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    models: dict[str, ModelLike] = Field(
        default_factory=default_models,
        description="tier name -> model spec string or chat-model instance",
    )
    preset: str | list[Stage] = Field("cope", description=f"one of {', '.join(PRESETS)}, or a list of stages")
    stage_overrides: Annotated[dict[int, StageOverride], Field(description="1-based stage number -> changes")] = {}
    max_tokens: int = Field(1024, ge=1, description="output token limit per call")
    seed: int = Field(0, description="base seed; sample i of a stage uses seed + i")
    prices: dict[str, ModelPrice] = Field(default_factory=dict, description="model name -> price override")
    base_urls: dict[str, str] = Field(
        default_factory=dict, description="tier name -> server URL (Ollama, OpenAI-compatible)"
    )
    cache_path: str | None = Field(None, description="SQLite file of cached responses: identical calls are paid once")
    max_retries: int = Field(3, ge=0, description="retries of a call after a transient cloud fault (429, 5xx, timeout)")
    retry_backoff: float = Field(1.0, ge=0.0, description="seconds before the first retry; doubles each time")
    # The tier models, built once per event loop (network clients belong to the loop that opened their
    # connections), with their sampled copies per (tier, temperature, seed): LangChain serializes a model for its
    # callbacks once per instance, which costs about a millisecond.
    _loop_models: WeakKeyDictionary = PrivateAttr(default_factory=WeakKeyDictionary)
    _sync_models: dict = PrivateAttr(default_factory=dict)

    @field_validator("models")
    @classmethod
    def _check_specs(cls, models: dict[str, ModelLike]) -> dict[str, ModelLike]:
        for model in models.values():
            if isinstance(model, str):
                parse_spec(model)
        return models

    def _built(self) -> dict:
        try:
            return self._loop_models.setdefault(asyncio.get_running_loop(), {})
        except RuntimeError:  # no running loop: a synchronous caller
            return self._sync_models

    def tier_model(self, tier: str) -> BaseChatModel:
        """The tier's chat model, built once for the running event loop."""
        built = self._built()
        if tier not in built:
            built[tier] = resolve_model(self.models[tier], self.base_urls.get(tier))
        return built[tier]

    def model(self, tier: str, *, temperature: float, seed: int) -> BaseChatModel:
        """The tier's chat model with these sampling settings and this config's max_tokens."""
        built, key = self._built(), (tier, temperature, seed)
        if key not in built:
            model = self.tier_model(tier)
            built[key] = with_sampling(model, temperature=temperature, seed=seed, max_tokens=self.max_tokens)
        return built[key]

    def check(self) -> list[Stage]:
        """The stages, after building every model they use: bad set-up fails here, before any call is made (and
        the models built are the ones the run then uses)."""
        stages = self.stages()
        for tier in sorted(set().union(*(stage.tiers() for stage in stages))):
            self.tier_model(tier)
        return stages

    def stages(self) -> list[Stage]:
        """The stages to run: the preset with overrides applied, checked against the configured tiers."""
        if isinstance(self.preset, str):
            if self.preset not in PRESETS:
                raise ConfigError(f"unknown preset {self.preset!r}; choose one of: {', '.join(PRESETS)}")
            stages = list(PRESETS[self.preset])
        else:
            stages = list(self.preset)
        if not stages:
            raise ConfigError("the cascade needs at least one stage")
        for number, override in self.stage_overrides.items():
            if not 1 <= number <= len(stages):
                raise ConfigError(f"stage_overrides names stage {number}, but the cascade has {len(stages)} stages")
            stages[number - 1] = stages[number - 1].model_copy(update=override.model_dump(exclude_none=True))
        if stages[0].plan != "none" and stages[0].planner is None:
            raise ConfigError("stage 1 reuses a plan, but no earlier stage wrote one; give it a planner tier")
        missing = sorted(set().union(*(s.tiers() for s in stages)) - set(self.models))
        if missing:
            raise ConfigError(
                f"the stages use tier(s) {', '.join(missing)} but `models` has only {', '.join(self.models)}; "
                f"add a model for each, e.g. models={{'{missing[0]}': 'openai:gpt-4o-mini'}}"
            )
        return stages
