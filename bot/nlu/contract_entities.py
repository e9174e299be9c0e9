"""NLU component: an entity of a contract slot that no synonym made a canonical value is dropped.

DIET tags words by their shape: a date of birth after "pain" was read as a `pain_timing` entity with the
value "14/03/1968", and Rasa's slot mapping put it in the tracker, where every later export and summary
could find it. The slot contract (actions/contract.py) says which values a slot may hold; after the
EntitySynonymMapper has mapped what it knows, any other value of those entities is words the model
misread. Entities of other names, and the canonical values, pass. The actions drop such values as well
(contract_slots); this keeps them out of the tracker in the first place.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rule_component import RuleComponent
from clinic.contract import SLOT_VALUES


def in_contract(entity: dict[str, Any]) -> bool:
    """A canonical value of its contract slot, or an entity no contract slot is named after."""
    allowed = SLOT_VALUES.get(str(entity.get("entity")))
    return allowed is None or entity.get("value") in allowed


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ContractEntities(RuleComponent):
    """Keeps only the contract's canonical values among the contract slots' entities."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            kept = [e for e in entities if in_contract(e)]
            if len(kept) != len(entities):
                message.set(ENTITIES, kept, add_to_output=True)
        return messages
