"""Links to a conversation's transcript, in one place for every page that points at one."""

from __future__ import annotations

from urllib.parse import quote

# Ids a path can't carry: every browser reads these as "this folder" and "the folder above", even percent-encoded.
DOT_SEGMENTS = frozenset({".", ".."})


def transcript_path(conversation_id: str) -> str:
    """The transcript's link: the id percent-encoded whole (Rasa takes any printable sender: `/`, `?`, `#`, spaces)."""
    if conversation_id in DOT_SEGMENTS:
        return "/conversation?id=" + quote(conversation_id, safe="")
    return "/conversations/" + quote(conversation_id, safe="")
