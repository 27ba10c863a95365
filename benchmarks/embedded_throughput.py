"""Tokens per second of the embedded model: raw llama-cpp-python vs the same generation through plancascade's
provider (LangChain chat model, sampling copy, worker thread, lock). Prints the ratio (goal >= 0.9).

Both sides use the same loaded model, prompt, greedy decoding and token limit; runs alternate so machine noise
falls on both alike.
"""

import argparse
import asyncio
import statistics
import time

from plancascade.models.llamacpp import bundled_gguf, load_gguf
from plancascade.models.sampling import with_sampling
from plancascade.models.specs import resolve_model
from plancascade.prompts import render_prompt

QUESTION = "A baker makes 12 trays of 24 cookies and sells 250 of them. How many cookies are left?"


def raw(llama, prompt: str, max_tokens: int) -> tuple[int, float]:
    started = time.perf_counter()
    response = llama.create_chat_completion(
        messages=[{"role": "user", "content": prompt}], temperature=0.0, seed=0, max_tokens=max_tokens
    )
    return response["usage"]["completion_tokens"], time.perf_counter() - started


def provider(model, prompt: str) -> tuple[int, float]:
    started = time.perf_counter()
    message = asyncio.run(model.ainvoke(prompt))
    return message.usage_metadata["output_tokens"], time.perf_counter() - started


def main(repeats: int, max_tokens: int) -> None:
    prompt = render_prompt("math", "reasoner", question=QUESTION, plans="")
    model = with_sampling(resolve_model("llamacpp:smollm2"), temperature=0.0, seed=0, max_tokens=max_tokens)
    llama, _ = load_gguf(str(bundled_gguf()), model.n_ctx)
    raw(llama, prompt, max_tokens)  # warm-up
    raw_rates, provider_rates = [], []
    for _ in range(repeats):
        tokens, seconds = raw(llama, prompt, max_tokens)
        raw_rates.append(tokens / seconds)
        tokens, seconds = provider(model, prompt)
        provider_rates.append(tokens / seconds)
    raw_rate, provider_rate = statistics.median(raw_rates), statistics.median(provider_rates)
    print(f"SmolLM2-135M Q4_1, greedy, {max_tokens} tokens max, {repeats} alternating runs, medians")
    print(f"raw llama-cpp-python:       {raw_rate:7.1f} tokens/s")
    print(f"through plancascade:        {provider_rate:7.1f} tokens/s")
    print(f"ratio: {provider_rate / raw_rate:.3f}  (goal >= 0.9)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    main(args.repeats, args.max_tokens)
