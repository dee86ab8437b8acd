"""API shapes: which JSON fields carry text, per endpoint. Providers know JSON shapes, not PII."""

from __future__ import annotations

import re

from maskgate.providers.anthropic import AnthropicMessages
from maskgate.providers.base import SYSTEM_NOTE, Api, Family, Unmask, error_body
from maskgate.providers.openai_chat import OpenAIChat, OpenAIChatStored
from maskgate.providers.openai_embeddings import OpenAIEmbeddings
from maskgate.providers.openai_responses import OpenAIConversations, OpenAIResponses, OpenAIResponsesRead

__all__ = ["SYSTEM_NOTE", "Api", "Family", "Unmask", "api_for", "error_body"]

_ANTHROPIC: dict[str, Api] = {"messages": AnthropicMessages(), "messages/count_tokens": AnthropicMessages()}
_OPENAI: dict[str, Api] = {
    "chat/completions": OpenAIChat(),
    "responses": OpenAIResponses(),
    "responses/input_tokens": OpenAIResponses(),  # the body of a `responses` request, counted
    "responses/compact": OpenAIResponses(),  # the body of a `responses` request, compacted
    "embeddings": OpenAIEmbeddings(),
    "moderations": OpenAIEmbeddings(),
}
_RESPONSES_READ = OpenAIResponsesRead()
_CONVERSATIONS = OpenAIConversations()
_CHAT_STORED = OpenAIChatStored()


_RESPONSE_READ = re.compile(r"(^|/)responses/resp_[A-Za-z0-9_-]+(/input_items|/cancel)?$")
_CHAT_STORE = re.compile(r"(^|/)chat/completions/[A-Za-z0-9_-]+(/messages)?$")
_CONVERSATION = re.compile(r"(^|/)conversations(/conv_[A-Za-z0-9_-]+(/items(/[A-Za-z0-9_-]+)?)?)?$")


def api_for(family: Family, path: str) -> Api | None:
    """The API shape of `path` (relative to the provider's base URL, e.g. `v1/messages`)."""
    table = _ANTHROPIC if family == "anthropic" else _OPENAI
    path = path.strip("/")
    for suffix, api in table.items():
        if path == suffix or path.endswith("/" + suffix):
            return api
    if family == "openai" and _RESPONSE_READ.search(path):
        return _RESPONSES_READ
    if family == "openai" and _CONVERSATION.search(path):
        return _CONVERSATIONS
    if family == "openai" and _CHAT_STORE.search(path):
        return _CHAT_STORED
    return None
