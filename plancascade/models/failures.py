"""What went wrong in a model call, said so a person can fix it, and whether trying again may help."""

import httpx

from plancascade.models.specs import LOCAL_PROVIDERS

# HTTP statuses worth retrying: rate limits, server faults, timeouts at a gateway.
_TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


class ModelCallError(RuntimeError):
    """A model call failed for good (not transient, or retries ran out)."""


def _status(error: BaseException) -> int | None:
    status = getattr(error, "status_code", None)
    if status is None and (response := getattr(error, "response", None)) is not None:
        status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(error: BaseException, provider: str) -> bool:
    """Rate limits, 5xx and timeouts of a cloud API. A local server that is down or lacks the model is not
    transient: retrying would only delay the message that says how to fix it."""
    if provider in LOCAL_PROVIDERS:
        return False
    if (status := _status(error)) is not None:
        return status in _TRANSIENT_STATUS
    import openai

    return isinstance(error, openai.APITimeoutError | openai.APIConnectionError | httpx.TransportError | TimeoutError)


def explain(error: BaseException, provider: str, model: str, base_url: str | None) -> str:
    """One line: what failed and how to fix it."""
    status = _status(error)
    if provider == "ollama":
        host = base_url or "the Ollama server"
        if status == 404:
            return f"Ollama at {host} has no model {model!r}: run `ollama pull {model}`"
        if isinstance(error, ConnectionError | httpx.ConnectError):
            return f"cannot reach Ollama at {host}: start it with `ollama serve`, or set OLLAMA_HOST to where it runs"
    if status == 401:
        key = {"openai": "OPENAI_API_KEY", "huggingface": "HF_TOKEN"}.get(provider, "the API key")
        return f"{provider}:{model} rejected the credentials (401): check {key}"
    if status == 404:
        return f"{provider}:{model} was not found (404): check the model name and the base URL"
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"{provider}:{model} failed: {detail}"
