"""ScriptedChatModel: a deterministic chat model for testing graphs without a network.

Replies come from rules on the prompt, never from call order, so concurrent samples get the same replies in any
schedule. Every call is recorded, and token usage is the count of whitespace-separated words, so tests can
predict ledgers exactly:

    small = ScriptedChatModel(rules=[(r"goal", "Find the total."), (r"Problem", r"\\boxed{72}")])
"""

import asyncio
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr


@dataclass(frozen=True)
class ScriptedCall:
    """One call to a scripted model: what it was asked, with which sampling settings, and what it replied."""

    model: str
    messages: tuple[BaseMessage, ...]
    prompt: str  # the messages' text, joined by blank lines: what rules match against
    temperature: float | None
    seed: int | None
    max_tokens: int | None
    reply: str | None = None


# A rule's reply: fixed text, one of several texts picked by seed (seed % len), or a function of the call.
Reply = str | Sequence[str] | Callable[[ScriptedCall], str]


def count_tokens(text: str) -> int:
    """The scripted models' token count: whitespace-separated words."""
    return len(text.split())


class ScriptedChatModel(BaseChatModel):
    """A chat model that answers by rules: the first rule whose regex matches the prompt gives the reply."""

    model_name: str = "scripted"
    rules: list[tuple[str, Reply]] = Field(default_factory=list)
    default: Reply | None = None  # reply when no rule matches; None raises an error naming the prompt
    latency: float = Field(0.0, ge=0.0, description="seconds each call takes (an async sleep under ainvoke)")
    temperature: float | None = None
    seed: int | None = None
    max_tokens: int | None = None
    # Private, so it stays out of LangChain's serialization; shallow copies (the ones that carry per-call
    # sampling settings) share the list, so one log holds every call.
    _calls: list[ScriptedCall] = PrivateAttr(default_factory=list)

    @classmethod
    def from_file(cls, path: str | Path) -> "ScriptedChatModel":
        """Load rules from JSON: {"model": ..., "rules": [{"pattern": ..., "reply": str | [str, ...]}],
        "default": ..., "latency": ...}. This is what the spec string "scripted:PATH.json" uses."""
        data = json.loads(Path(path).read_text())
        rules = [(rule["pattern"], rule["reply"]) for rule in data.pop("rules", [])]
        if "model" in data:
            data["model_name"] = data.pop("model")
        return cls(rules=rules, **data)

    @property
    def calls(self) -> list[ScriptedCall]:
        """Every call so far, in the order they finished."""
        return self._calls

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> Any:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params.update(ls_provider="scripted", ls_model_name=self.model_name)
        return params

    def _answer(self, messages: list[BaseMessage]) -> ChatResult:
        prompt = "\n\n".join(m.text for m in messages)
        call = ScriptedCall(self.model_name, tuple(messages), prompt, self.temperature, self.seed, self.max_tokens)
        reply = next((r for pattern, r in self.rules if re.search(pattern, prompt)), self.default)
        if reply is None:
            raise ValueError(f"ScriptedChatModel {self.model_name!r}: no rule matches the prompt {prompt[:200]!r}")
        if callable(reply):
            text = reply(call)
        elif isinstance(reply, str):
            text = reply
        else:
            text = reply[(self.seed or 0) % len(reply)]
        self._calls.append(replace(call, reply=text))
        usage = {"input_tokens": count_tokens(prompt), "output_tokens": count_tokens(text)}
        usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
        message = AIMessage(content=text, usage_metadata=usage, response_metadata={"model_name": self.model_name})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.latency:
            time.sleep(self.latency)
        return self._answer(messages)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.latency:
            await asyncio.sleep(self.latency)
        return self._answer(messages)
