"""The MCP door (SCAMLAB_MCP=1): the real app serves its public API as MCP tools; the `mcp` client lists them
and calls the spam check."""

from __future__ import annotations

import ast
import asyncio

import pytest

from scamlab.config import load_settings
from scamlab.ui import launch_options
from tests.conftest import start_app, stop_app

pytestmark = pytest.mark.slow

WANTED_TOOLS = {"classify", "classify_batch", "reply", "score_conversation"}


def test_mcp_is_off_unless_asked_for():
    assert launch_options(load_settings({}, dotenv_path=None))["mcp_server"] is False
    assert launch_options(load_settings({"SCAMLAB_MCP": "1"}, dotenv_path=None))["mcp_server"] is True


@pytest.fixture(scope="module")
def mcp_app(engine):
    engine.classifier()
    app = start_app({"SCAMLAB_MCP": "1"}, name="mcp")
    yield app
    stop_app(app)


async def _list_and_classify(url: str, text: str) -> tuple[dict[str, str], str]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with streamablehttp_client(f"{url}gradio_api/mcp/") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool.description or "" for tool in (await session.list_tools()).tools}
            result = await session.call_tool("classify", {"text": text})
            return tools, "".join(getattr(part, "text", "") for part in result.content)


def test_an_mcp_client_lists_the_tools_and_checks_a_message(mcp_app, engine):
    text = "URGENT: your parcel is held. Pay the £1.99 redelivery fee today at [LINK] or it is returned."
    tools, answer = asyncio.run(_list_and_classify(mcp_app.url, text))
    assert WANTED_TOOLS <= set(tools), sorted(tools)
    assert "spam" in tools["classify"].lower()  # the docstring reads as the tool's description
    result = ast.literal_eval(answer)  # Gradio's MCP server sends a dict result as its Python text
    expected = engine.classify_spam(text)
    assert result["classification"] == expected["classification"]
    assert result["probabilities"]["spam"] == pytest.approx(expected["probabilities"]["spam"], abs=1e-3)
