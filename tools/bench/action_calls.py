"""Which calls the Rasa server makes to the action server for each message: how many, to what, how big, how long.

Starts the assistant as `make bench-chat` does, with a counting relay between the Rasa server and its action server,
holds one conversation of tools/load/chat_load.py's SCRIPT over Rasa's REST channel, and prints each message with
the actions it called (the body's size: Rasa sends the whole tracker each time, and the domain), then the totals.
`python -m tools.bench.action_calls [--messages N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace

import aiohttp
from aiohttp import web

from bot.launcher import start, stop, wait_until_up
from bot.stack import ROOT, actions_command, rasa_command
from tools.bench.chat_bench import REST, START_TIMEOUT_S, rasa_up
from tools.load.chat_load import SCRIPT
from tools.servers import free_port, isolated_stack

WORKDIR = ROOT / "var" / "action-calls"


@dataclass(frozen=True)
class Call:
    action: str
    request_bytes: int
    seconds: float
    has_domain: bool


@dataclass
class Calls:
    """The calls the relay passed on, by the message that caused them."""

    by_message: list[list[Call]] = field(default_factory=list)


def relay(actions_url: str, calls: Calls, client: aiohttp.ClientSession) -> web.Application:
    """An app passing every request on to the action server, noting each /webhook call under the current message."""

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() in {"authorization", "content-type"}}
        started = time.monotonic()
        async with client.request(request.method, actions_url + request.path_qs, data=body, headers=headers) as reply:
            answer = await reply.read()
            status, content_type = reply.status, reply.content_type
        if request.path == "/webhook" and calls.by_message:
            sent = json.loads(body)
            call = Call(sent.get("next_action", "?"), len(body), time.monotonic() - started, "domain" in sent)
            calls.by_message[-1].append(call)
        return web.Response(body=answer, status=status, content_type=content_type)

    app = web.Application(client_max_size=64 * 2**20)
    app.router.add_route("*", "/{path:.*}", forward)
    return app


async def converse(rasa_url: str, messages: list[str], calls: Calls) -> None:
    sender = str(uuid.uuid4())
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as client:
        for message in messages:
            calls.by_message.append([])
            async with client.post(rasa_url + REST, json={"sender": sender, "message": message}) as answer:
                answer.raise_for_status()


def report(messages: list[str], calls: Calls) -> str:
    lines = []
    for number, (message, made) in enumerate(zip(messages, calls.by_message, strict=True), start=1):
        names = ", ".join(f"{c.action} ({c.request_bytes // 1024} KB, {c.seconds * 1000:.0f} ms)" for c in made)
        lines.append(f"{number:3}. {message[:40]!r:44} {len(made)} call(s): {names}")
    every = [call for made in calls.by_message for call in made]
    by_action = Counter(call.action for call in every)
    lines.append(
        f"\n{len(every)} calls for {len(messages)} messages ({len(every) / len(messages):.1f} per message), "
        f"{sum(c.request_bytes for c in every) / 2**20:.1f} MB sent, {sum(c.has_domain for c in every)} with the "
        f"domain, {sum(c.seconds for c in every):.1f} s in the calls"
    )
    lines += [f"  {count:4} {action}" for action, count in by_action.most_common()]
    return "\n".join(lines)


async def measure(count: int) -> str:
    shutil.rmtree(WORKDIR, ignore_errors=True)
    stack = isolated_stack(WORKDIR, WORKDIR / "tracker.db", web=False)
    rasa_side = replace(stack, actions_port=free_port())  # Rasa calls the relay; the relay, the action server
    messages = [SCRIPT[i % len(SCRIPT)] for i in range(count)]
    calls = Calls()
    actions = start(actions_command(stack), stack, "actions")
    async with aiohttp.ClientSession() as client:
        runner = web.AppRunner(relay(stack.actions_url, calls, client))
        await runner.setup()
        await web.TCPSite(runner, stack.host, rasa_side.actions_port).start()
        try:
            await asyncio.to_thread(wait_until_up, f"{stack.actions_url}/health", actions, START_TIMEOUT_S)
            with rasa_up(rasa_command(rasa_side), rasa_side) as server:
                await converse(server.url, messages, calls)
        finally:
            await runner.cleanup()
            stop([actions])
    return report(messages, calls)


def main() -> None:
    parser = argparse.ArgumentParser(description="Calls to the action server per message, on one conversation.")
    parser.add_argument("--messages", type=int, default=len(SCRIPT))
    print(asyncio.run(measure(parser.parse_args().messages)), flush=True)


if __name__ == "__main__":
    main()
