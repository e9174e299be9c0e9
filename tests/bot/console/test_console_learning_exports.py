"""What staff corrected, exported by an admin and used as the team would: `rasa data validate`, a training,
the corpus loader and `rasa test`. On conversations held with the real assistant (tools/held_conversations.py).

The corrections and exports are made once for the module; each Rasa command runs once.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core import test as rasa_test  # as a module: pytest would collect its `test` function
from rasa.core.agent import Agent
from sanic import Sanic

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.conversation_summaries import refresh
from bot.console.database import events, open_database
from bot.console.users import create_user
from bot.privacy.deidentify import STAND_INS
from clinic.database.tables import audit_log
from tests.bot.console.console_support import PASSWORD, Truth
from tests.bot.console.correcting import correct, message_id
from tools.console_client import console_client, log_in
from tools.held_conversations import SCRIPTS
from tools.rasa_cli import ROOT, rasa
from tools.real_language import corpus

LIPS = SCRIPTS["emergency"][3]  # read as a possible red flag: a definite emergency (after the safety check)
NAME_READ_AS_FALLBACK = SCRIPTS["stopped"][9]  # "Mei Chen", read as nlu_fallback
NEW_INHALER = SCRIPTS["misunderstood"][2]  # "my shoulders ache since I started a new inhaler"
EMAIL = "tom.oneil@example.org"
# Every personal detail the patients typed (Sara Lopez's phone is also the clinic's: the bot's replies quote it).
PERSONAL = ("Sara", "Lopez", "Mei Chen", "Chen", "Tom O'Neil", "O'Neil", "512-555-0134", "555-0134", "555-0199", EMAIL)
EXPORTS = {
    "nlu": "/exports/learning/nlu.yml",
    "red_flags": "/exports/learning/red_flags.yml",
    "stories": "/exports/learning/stories.yml",
    "booked_story": "/exports/learning/story.yml?conversation=booked",
}


@dataclass(frozen=True)
class Exported:
    folder: Path
    app: Sanic
    files: dict[str, str]  # export name -> text
    filenames: dict[str, str]  # export name -> the download's file name


def with_email(db: Path) -> None:
    """The "urgent" conversation again as "urgent-by-email", the patient giving an email address instead of a phone:
    the assistant's events, with the phone number the patient typed (and the slot made of it) swapped."""
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        rows = connection.execute(sa.select(events).where(events.c.sender_id == "urgent").order_by(events.c.id)).all()
        swapped = [
            {**row._asdict(), "id": None, "sender_id": "urgent-by-email",
             "data": row.data.replace("512-555-0199", EMAIL).replace("(512) 555-0199", EMAIL)}
            for row in rows
        ]  # fmt: skip
        connection.execute(events.insert(), swapped)
    engine.dispose()


async def correct_and_export(app: Sanic) -> tuple[dict[str, str], dict[str, str]]:
    engine = app.ctx.engine
    async with console_client(app) as sam, console_client(app) as ada:
        assert (await log_in(sam, "sam", PASSWORD)).status_code == 302
        assert (await log_in(ada, "ada", PASSWORD)).status_code == 302
        made = [
            await correct(sam, "emergency", message_id(engine, "emergency", LIPS), "red_flag_emergency",
                          flags=("blue_lips_or_nails",)),
            await correct(sam, "stopped", message_id(engine, "stopped", NAME_READ_AS_FALLBACK), "inform_details"),
            await correct(sam, "misunderstood", message_id(engine, "misunderstood", NEW_INHALER), "describe_pain",
                          {"shoulders": "shoulders", "ache": "dull_ache", "since I started a new inhaler": "after_new_medication"}),
            await correct(sam, "urgent-by-email", message_id(engine, "urgent-by-email", EMAIL), "inform_details"),
            await correct(sam, "urgent-by-email", message_id(engine, "urgent-by-email", "Tom O'Neil"), "inform_details"),
        ]  # fmt: skip
        assert [r.status_code for r in made] == [302] * len(made)
        files, names = {}, {}
        for name, path in EXPORTS.items():
            response = await ada.get(path)
            assert response.status_code == 200 and response.headers["content-type"].startswith("text/yaml"), path
            files[name] = response.text
            names[name] = re.search(r'filename="([^"]+)"', response.headers["content-disposition"]).group(1)  # type: ignore[union-attr]
    return files, names


@pytest.fixture(scope="module")
def exported(live_seed: tuple[Path, dict[str, Truth]], tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Corrections made and exported on conversations held today: the round trip runs them with today's model."""
    folder = tmp_path_factory.mktemp("learning")
    db = folder / "tracker.db"
    shutil.copy(live_seed[0], db)
    with_email(db)
    url = f"sqlite:///{db}"
    refresh(open_database(url))
    app = create_app(ConsoleSettings(database_url=url), name=f"console_learning_{uuid.uuid4().hex}")
    create_user(app.ctx.engine, "sam", PASSWORD, "staff")
    create_user(app.ctx.engine, "ada", PASSWORD, "admin")
    files, names = asyncio.run(correct_and_export(app))
    return Exported(folder, app, files, names)


def test_each_export_is_a_named_download_and_audited(exported: Exported) -> None:
    assert exported.filenames["nlu"].startswith("corrections-")
    assert exported.filenames["stories"].startswith("test_")  # `rasa test` reads only test_*.yml story files
    with exported.app.ctx.engine.connect() as connection:
        entries = connection.execute(
            sa.select(audit_log.c.username, audit_log.c.action, audit_log.c.target, audit_log.c.detail)
            .where(audit_log.c.action.startswith("export_"))
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(e) for e in entries] == [
        ("ada", "export_nlu", "", "5 examples"),
        ("ada", "export_red_flags", "", "1 rows"),
        ("ada", "export_stories", "", "4 conversations"),
        ("ada", "export_stories", "booked", "1 conversations"),
    ]


def test_no_name_phone_number_or_email_a_patient_typed_is_in_any_export(exported: Exported) -> None:
    for name, text in exported.files.items():
        found = [p for p in PERSONAL if p.lower() in text.lower()]
        assert found == [], name
    assert f"- {STAND_INS['name']}\n" in exported.files["nlu"]  # "Mei Chen" and "Tom O'Neil", as examples
    assert f"- {STAND_INS['email']}\n" in exported.files["nlu"]
    booked = exported.files["booked_story"]
    assert STAND_INS["name"] in booked and STAND_INS["phone"] in booked


def test_the_nlu_export_passes_rasa_data_validate_beside_the_projects_data(exported: Exported) -> None:
    data = exported.folder / "validate"
    data.mkdir()
    (data / exported.filenames["nlu"]).write_text(exported.files["nlu"], encoding="utf-8")
    run = rasa("data", "validate", "--data", "data", str(data), "--domain", "domain.yml", "--fail-on-warnings")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert '[shoulders](pain_location) [ache]{"entity": "pain_quality", "value": "dull_ache"}' in exported.files["nlu"]


TINY_CONFIG = """\
recipe: default.v1
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: LogisticRegressionClassifier
    max_iter: 50
  - name: CRFEntityExtractor
    max_iterations: 10
  - name: EntitySynonymMapper
policies: []
"""


def test_the_nlu_export_trains_with_a_tiny_config(exported: Exported) -> None:
    work = exported.folder / "tiny"
    (work / "data").mkdir(parents=True)
    (work / "data" / "corrections.yml").write_text(exported.files["nlu"], encoding="utf-8")
    shutil.copy(ROOT / "data" / "nlu" / "synonyms.yml", work / "data")  # the entities' synonyms, as in data/nlu/
    (work / "config.yml").write_text(TINY_CONFIG, encoding="utf-8")
    run = rasa(
        "train", "nlu", "--config", str(work / "config.yml"), "--nlu", str(work / "data"), "--domain", "domain.yml",
        "--out", str(work / "models"), "--fixed-model-name", "tiny",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (work / "models" / "tiny.tar.gz").stat().st_size > 0


def test_the_red_flag_rows_load_as_the_real_language_corpus(exported: Exported) -> None:
    (exported.folder / "emergency.yml").write_text(exported.files["red_flags"], encoding="utf-8")
    [row] = corpus.load(exported.folder)
    assert (row.text, row.level.value, row.flags, row.kind) == (LIPS, "emergency", ("blue_lips_or_nails",), "answer")


def story_blocks(failed: str) -> dict[str, str]:
    """Each failed story's text by its name (without the file Rasa appends to it)."""
    parts = re.split(r"^- story: ", failed, flags=re.M)[1:]
    return {part.split(" (", 1)[0]: part for part in parts}


def test_the_exported_stories_run_with_rasa_test(exported: Exported, agent: Agent) -> None:
    stories = exported.folder / "stories"
    stories.mkdir()
    for name in ("stories", "booked_story"):
        (stories / f"test_{name}.yml").write_text(exported.files[name], encoding="utf-8")
    out = exported.folder / "rasa-test"
    out.mkdir()
    # `rasa test core --e2e --stories STORIES`: its evaluation, on the model the session loaded once.
    asyncio.run(rasa_test.test(str(stories), agent, out_directory=str(out), e2e=True, disable_plotting=True))
    written = sum(exported.files[name].count("\n- story: ") for name in ("stories", "booked_story"))
    evaluated = json.loads((out / "story_report.json").read_text())["conversation_accuracy"]["total"]
    assert written == 5 and evaluated == written  # the four corrected conversations and booked
    failed = story_blocks((out / "failed_test_stories.yml").read_text(encoding="utf-8"))
    # The corrected reading is the test's expectation: the assistant's reading is reported against it.
    assert f"- intent: red_flag_emergency  # predicted: red_flag_possible: {LIPS}" in failed["emergency session 1"]
    # A conversation nobody corrected replays step by step: every action the bot took is predicted again.
    booked = failed.get("booked session 1", "")
    assert not re.search(r"- action: .*# predicted", booked), booked
