"""Model specs ("provider:model") to LangChain chat models."""

from functools import lru_cache
from typing import NamedTuple

from langchain_core.language_models import BaseChatModel

from plancascade.errors import ConfigError

# Providers whose calls cost nothing: they run on the user's own machine (or are scripted).
LOCAL_PROVIDERS = frozenset({"ollama", "llamacpp", "scripted"})
PROVIDERS = ("ollama", "openai", "huggingface", "scripted")


class ModelInfo(NamedTuple):
    provider: str
    name: str


def parse_spec(spec: str) -> ModelInfo:
    """Split "provider:model" (the model part may itself hold colons, as in "ollama:qwen2.5:1.5b")."""
    provider, sep, name = spec.partition(":")
    if not sep or not provider or not name:
        raise ConfigError(
            f"malformed model spec {spec!r}: write PROVIDER:MODEL, e.g. 'ollama:qwen2.5:1.5b' or 'openai:gpt-4o-mini'"
        )
    if provider not in PROVIDERS:
        raise ConfigError(f"unknown model provider {provider!r} in {spec!r}; use one of: {', '.join(PROVIDERS)}")
    return ModelInfo(provider, name)


@lru_cache(maxsize=64)
def _from_spec(spec: str) -> BaseChatModel:
    provider, name = parse_spec(spec)
    if provider == "scripted":
        from plancascade.testing import ScriptedChatModel

        return ScriptedChatModel.from_file(name)
    if provider == "huggingface":
        from langchain_huggingface import ChatHuggingFace, HuggingFaceEndpoint

        return ChatHuggingFace(llm=HuggingFaceEndpoint(repo_id=name, task="text-generation"))
    from langchain.chat_models import init_chat_model

    return init_chat_model(name, model_provider=provider)


def resolve_model(model: str | BaseChatModel) -> BaseChatModel:
    """A chat model for a tier: instances pass through; spec strings are built once and reused."""
    return _from_spec(model) if isinstance(model, str) else model


def describe_model(model: BaseChatModel) -> ModelInfo:
    """Provider and model name of a chat model, as LangChain reports them for tracing."""
    params = model._get_ls_params()
    return ModelInfo(params.get("ls_provider") or type(model).__name__, params.get("ls_model_name") or "unknown")
