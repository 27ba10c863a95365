"""Per-call sampling settings (temperature, seed, output limit), set the way each chat model expects."""

from langchain_core.language_models import BaseChatModel

# Providers name the output limit differently: OpenAI and Hugging Face "max_tokens", Ollama "num_predict".
_MAX_TOKENS_FIELDS = ("max_tokens", "num_predict", "max_new_tokens")


def with_sampling(model: BaseChatModel, *, temperature: float, seed: int, max_tokens: int) -> BaseChatModel:
    """A shallow copy of `model` with these settings in the fields it has (clients and call logs are shared)."""
    fields = type(model).model_fields
    update: dict[str, float | int] = {}
    if "temperature" in fields:
        update["temperature"] = temperature
    if "seed" in fields:
        update["seed"] = seed
    if limit_field := next((f for f in _MAX_TOKENS_FIELDS if f in fields), None):
        update[limit_field] = max_tokens
    if model._llm_type == "huggingface-chat-wrapper":
        # ChatHuggingFace has a seed field but does not send it; extra request parameters go in model_kwargs.
        update["model_kwargs"] = {**(model.model_kwargs or {}), "seed": seed}
    if getattr(model, "openai_api_base", None):
        # langchain-openai sends `max_completion_tokens`, which some OpenAI-compatible servers (llama.cpp's)
        # ignore; they read the older `max_tokens`.
        update["extra_body"] = {**(model.extra_body or {}), "max_tokens": max_tokens}
    return model.model_copy(update=update)
