"""LangGraph Studio's server (`langgraph dev` over langgraph.json) serves the cascade; runs use scripted models
chosen by configuration (spec strings "scripted:RULES.json" in the run's context)."""

import asyncio
import json
import shutil
import sys
from pathlib import Path

import pytest
from langgraph_sdk import get_client

from tests.servers import free_port, running

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def studio(tmp_path_factory) -> str:
    langgraph = shutil.which("langgraph", path=str(Path(sys.executable).parent))
    assert langgraph, "langgraph-cli is a dev dependency: pip install -e '.[dev]'"
    port = free_port()  # never 2024: it is taken on the machines here
    env = {"LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGGRAPH_NO_VERSION_CHECK": "true", "LANGSMITH_TRACING": "false"}
    command = [langgraph, "dev", "--port", str(port), "--host", "127.0.0.1", "--no-browser", "--no-reload"]
    log = tmp_path_factory.mktemp("studio") / "langgraph-dev.log"
    with running(command, f"http://127.0.0.1:{port}/ok", log, env=env, cwd=ROOT):
        yield f"http://127.0.0.1:{port}"


def test_studio_draws_the_four_nodes_and_runs_a_thread(studio, tmp_path):
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(
        json.dumps(
            {
                "model": "tiny",
                "rules": [
                    {"pattern": "State the goal", "reply": "Find the total."},
                    {"pattern": "Guideline:", "reply": "\\boxed{72}"},
                    {"pattern": "final answer", "reply": ["\\boxed{72}", "\\boxed{70}"]},
                ],
            }
        )
    )
    large.write_text(json.dumps({"model": "big", "rules": [{"pattern": "Write guidelines", "reply": "Add them."}]}))

    async def scenario() -> tuple[dict, dict]:
        client = get_client(url=studio)
        drawing = await client.assistants.get_graph("plancascade")
        thread = await client.threads.create()
        context = {"models": {"small": f"scripted:{small}", "large": f"scripted:{large}"}, "seed": 0}
        result = await client.runs.wait(
            thread["thread_id"], "plancascade", input={"question": "Clips?"}, context=context
        )
        return drawing, result

    drawing, result = asyncio.run(scenario())
    assert {"planner", "reasoner", "verifier", "escalation"} <= {node["id"] for node in drawing["nodes"]}
    # stage 1 splits 4/4 (seeds alternate), so stage 2 runs the large guideline and settles unanimously
    assert (result["answer"], result["stage"], result["confidence"]) == ("72", 2, 1.0)
    assert result["plans"][-1] == {
        "stage": 2,
        "kind": "guideline",
        "tier": "large",
        "text": "Add them.",
        "sample": None,
    }
