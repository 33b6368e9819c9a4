"""Models: the `Model` seam, Claude through the anthropic SDK, and a scripted model for tests.

Importing this package does not import `anthropic`; `ClaudeModel` does, when it is built.
"""

from swe_agent.llm.base import (
    CallRecord,
    CallRecorder,
    Model,
    Reply,
    ToolCall,
    Usage,
    text_reply,
    tool_reply,
)
from swe_agent.llm.claude import ClaudeModel
from swe_agent.llm.factory import open_model
from swe_agent.llm.scripted import ScriptedModel

__all__ = [
    "CallRecord",
    "CallRecorder",
    "ClaudeModel",
    "Model",
    "Reply",
    "ScriptedModel",
    "ToolCall",
    "Usage",
    "open_model",
    "text_reply",
    "tool_reply",
]
