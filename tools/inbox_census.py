"""How many review-inbox lines the assistant's own test conversations produce, per category.

Usage: PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false .venv/bin/python -m tools.inbox_census [--no-corpus]

Says, to the real assistant (its NLU, policies and action server, started as the tests start them):
- "held": the console tests' conversations (tools/held_conversations.py SCRIPTS);
- "load": the script of `make load` (tools/load/chat_load.py SCRIPT), as one conversation;
- "corpus": every message of the real-language corpus (tests/real_language/, holdouts included) as the
  opening of its own conversation; its possible misses and false alarms are also split by the message's label.
Then folds the inbox as the console does and prints the lines per category (every conversation counts as
ended). The database is kept under var/inbox-census/ for a look.
"""

from __future__ import annotations

import argparse
import shutil
from collections import Counter

import sqlalchemy as sa

from bot.console.console_settings import ConsoleSettings
from bot.console.inbox_fold import CATEGORIES, refresh_inbox
from bot.stack import ROOT
from clinic.database.tables import inbox_items
from tools import held_conversations as held
from tools.load.chat_load import SCRIPT
from tools.real_language.corpus import load

WORKDIR = ROOT / "var" / "inbox-census"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-corpus", action="store_true", help="only the held conversations and the load script")
    corpus = [] if parser.parse_args().no_corpus else load(include_holdout=True)
    scripts = {f"held-{name}": messages for name, messages in held.SCRIPTS.items()}
    scripts["load-script"] = tuple(text for text in SCRIPT if text != "/greet")
    scripts |= {f"corpus-{example.id}": (example.text,) for example in corpus}
    labels = {f"corpus-{example.id}": example.level.value for example in corpus}

    shutil.rmtree(WORKDIR, ignore_errors=True)
    tracker_db = WORKDIR / "tracker.db"
    held.hold(WORKDIR, tracker_db, scripts)
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    refresh_inbox(engine, ConsoleSettings(database_url="").low_confidence)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(inbox_items.c.conversation_id, inbox_items.c.category)).all()
    engine.dispose()

    per_source: dict[str, Counter[str]] = {}
    for conversation, category in rows:
        per_source.setdefault(conversation.split("-", 1)[0], Counter())[category] += 1
    sizes = Counter(name.split("-", 1)[0] for name in scripts)
    print(f"{'source':<8} {'conversations':>13} " + " ".join(f"{c:>20}" for c in CATEGORIES))
    for source, size in sizes.items():
        found = per_source.get(source, Counter())
        print(f"{source:<8} {size:>13} " + " ".join(f"{found[c]:>20}" for c in CATEGORIES))
    if corpus:
        print("\ncorpus lines by the message's label (level none / urgent / emergency):")
        for category in ("possible_miss", "possible_false_alarm"):
            by_level = Counter(labels[c] for c, cat in rows if cat == category and c in labels)
            print(f"  {category:<22} " + " / ".join(str(by_level[lv]) for lv in ("none", "urgent", "emergency")))
        print(
            "corpus messages per label: "
            + " / ".join(str(Counter(labels.values())[lv]) for lv in ("none", "urgent", "emergency"))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
