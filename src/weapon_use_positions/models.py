"""The data model: one pydantic class per record type, field rules and vocabularies.

These classes are the contract. Field names become SQLite columns, Parquet and CSV
columns and JSON Schema properties; field descriptions become the Datasette column
descriptions and the codebook; each class's docstring describes its table; `References`
on a field is its foreign key (and the reference check). `catalogue.py` derives every
table from here. Rules that look at more than one field are checks (checks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ACTOR_ID_PATTERN = r"^[A-Z][A-Z0-9]{1,9}$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
ActorId = Annotated[str, StringConstraints(pattern=ACTOR_ID_PATTERN)]
WikidataId = Annotated[str, StringConstraints(pattern=WIKIDATA_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
QuoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def http_url(value: str) -> str:
    """Only absolute http(s) addresses with a host and no spaces: never javascript:, file: or data:."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("URL must start with http:// or https://")
    if not parts.hostname or any(c.isspace() for c in value):
        raise ValueError("URL needs a host and may not contain spaces")
    return value


HttpUrl = Annotated[
    str,
    AfterValidator(http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]


class ActorKind(str, Enum):
    """What kind of actor states a position."""

    state = "state"
    organization = "organization"


class WeaponCategory(str, Enum):
    """Broad class of a weapon system."""

    ballistic_missile = "ballistic_missile"
    cruise_missile = "cruise_missile"
    air_defence = "air_defence"
    aircraft = "aircraft"
    rocket_artillery = "rocket_artillery"
    artillery = "artillery"
    armoured_vehicle = "armoured_vehicle"
    drone = "drone"
    anti_ship_missile = "anti_ship_missile"
    other = "other"


class SourceKind(str, Enum):
    """Who published a source."""

    official = "official"
    news_agency = "news_agency"
    newspaper = "newspaper"
    broadcaster = "broadcaster"
    state_affiliated = "state_affiliated"
    other = "other"


class TitleKind(str, Enum):
    """Whether a source's title is the page's own headline."""

    headline = "headline"
    description = "description"


class Role(str, Enum):
    """The actor's relation to the weapons and the war."""

    supplier = "supplier"
    recipient = "recipient"
    adversary = "adversary"
    alliance = "alliance"
    third_party = "third_party"


class Stance(str, Enum):
    """What the actor says is allowed against targets on the adversary's own territory."""

    permitted = "permitted"
    limited = "limited"
    not_permitted = "not_permitted"
    no_public_position = "no_public_position"
    unclear = "unclear"


class ConditionKind(str, Enum):
    """What a stated limit restricts."""

    geographic = "geographic"
    target = "target"
    purpose = "purpose"
    range = "range"
    airspace = "airspace"
    legal = "legal"
    other = "other"


class DatePrecision(str, Enum):
    """How precisely the sources date a position."""

    day = "day"
    month = "month"


class Status(str, Enum):
    """Whether a position is on the record or only reported."""

    official = "official"
    reported = "reported"


VOCABULARY_MEANINGS: dict[type[Enum], dict[str, str]] = {
    Stance: {
        "permitted": "Use against targets on the adversary's territory is allowed with no limit beyond international law.",
        "limited": "Use against targets on the adversary's territory is allowed under stated limits (see conditions).",
        "not_permitted": "Use only on the recipient's own territory, occupied areas included.",
        "no_public_position": "A source documents that the government declined to say.",
        "unclear": "Sources do not allow the stance to be classified.",
    },
    Role: {
        "supplier": "Supplies weapons to the recipient.",
        "recipient": "Receives the weapons (states what it asks to be allowed).",
        "adversary": "The party the weapons are used against (states what it will tolerate).",
        "alliance": "An alliance or union of suppliers, or its officials.",
        "third_party": "Supplies no weapons but states a view.",
    },
    Status: {
        "official": "Stated on the record by a named official or in a government text.",
        "reported": "Reported by the press or by officials speaking anonymously.",
    },
    DatePrecision: {
        "day": "valid_from is the exact day.",
        "month": "Only the month is known; valid_from is the first day of that month.",
    },
    ConditionKind: {
        "geographic": "Where targets may be (e.g. the border area near Kharkiv).",
        "target": "What may be struck (e.g. military targets only).",
        "purpose": "Why (e.g. counter-fire, self-defence).",
        "range": "How far (e.g. no deep strikes, a distance limit).",
        "airspace": "Limits tied to airspace (e.g. no engagement in Russian airspace).",
        "legal": "A legal condition (e.g. in accordance with international law).",
        "other": "Any other stated limit.",
    },
    TitleKind: {
        "headline": "title is the headline the page shows.",
        "description": "No headline was captured when the source was recorded; title is a neutral description.",
    },
    SourceKind: {
        "official": "A government or organisation's own statement or transcript.",
        "news_agency": "A news agency (wire service).",
        "newspaper": "A newspaper or news magazine, print or online.",
        "broadcaster": "A radio or television broadcaster.",
        "state_affiliated": "Media controlled by a state; controlled_by names it when it is a party to the war.",
        "other": "Any other publisher (think tank, blog, aggregator).",
    },
}


@dataclass(frozen=True)
class References:
    """Field metadata: the value is the id of a record of `table` (or one of the `reserved` values)."""

    table: str
    reserved: tuple[str, ...] = ()


#: The scope value of an actor's general rule (for everything it supplies).
ALL_WEAPONS = "all"
#: The recipient a position is about unless it says otherwise (in as-of questions).
DEFAULT_RECIPIENT = "UKR"
#: The scope of a position: a position lasts until the next one of the same scope.
SCOPE = ("actor_id", "recipient_id", "weapons")


class Record(BaseModel):
    """Common configuration: strict field names, no extra keys, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)
    #: The columns that identify a record of the type.
    primary_key: ClassVar[tuple[str, ...]] = ("id",)


class Actor(Record):
    """A government or organisation that states positions."""

    id: ActorId = Field(
        description="ISO 3166-1 alpha-3 code for states (USA, DEU); an upper-case code for organisations (NATO, EU)."
    )
    name: Text = Field(description="Common English name.")
    kind: ActorKind = Field(description="state or organization.")
    wikidata: WikidataId | None = Field(default=None, description="Wikidata item id (Q-id).")


class WeaponSystem(Record):
    """A weapon system that has rules of its own."""

    id: Slug = Field(description="Slug id, e.g. atacms, storm-shadow. The scope value 'all' is reserved.")
    name: Text = Field(description="Common name.")
    category: WeaponCategory = Field(description="Broad class of the system.")
    max_range_km: float | None = Field(default=None, gt=0, description="Maximum range in kilometres, where known.")
    wikidata: WikidataId | None = Field(default=None, description="Wikidata item id (Q-id).")


class Source(Record):
    """A published page that supports one or more positions."""

    id: Slug = Field(description="Slug id, conventionally publisher-yyyy-mm-dd-topic.")
    url: HttpUrl = Field(description="Address of the published page (http or https only).")
    title: Text = Field(description="Title as the page shows it (or a description: see title_kind).")
    title_kind: TitleKind = Field(
        default=TitleKind.headline,
        validate_default=True,
        description="headline: the page's own title; description: no headline was captured, the editors describe the page.",
    )
    publisher: Text = Field(description="Who published the page.")
    published: dt.date = Field(description="Publication date the page shows (ISO date).")
    published_precision: DatePrecision = Field(
        default=DatePrecision.day,
        validate_default=True,
        description="day, or month when the page shows only the month (published is then the first of it).",
    )
    language: Language = Field(description="ISO 639-1 code of the page's language.")
    kind: SourceKind = Field(description="Kind of publisher.")
    controlled_by: Annotated[ActorId, References("actors")] | None = Field(
        default=None,
        description="For state-affiliated media: the actor that controls it.",
    )
    archive_url: HttpUrl | None = Field(default=None, description="An archived copy of the page, if any.")


class Condition(Record):
    """One stated limit on use."""

    kind: ConditionKind = Field(description="What the limit restricts.")
    text: Text = Field(description="The limit in a sentence.")


class SourceRef(Record):
    """A position's citation of a source."""

    id: Annotated[Slug, References("sources")] = Field(description="Id of a source record.")
    excerpt: ShortText | None = Field(default=None, description="Optional short supporting excerpt.")


class Position(Record):
    """One actor's stated position for one weapons scope, from a date on."""

    id: Slug = Field(description="Stable slug id, never reused or renamed once released.")
    actor_id: Annotated[ActorId, References("actors")] = Field(
        description="The actor that states the position (actors.id)."
    )
    recipient_id: Annotated[ActorId, References("actors")] = Field(
        description="The actor that receives the weapons (actors.id), e.g. UKR."
    )
    role: Role = Field(description="The actor's role: supplier, recipient, adversary, alliance or third_party.")
    weapons: Annotated[Slug, References("weapon_systems", reserved=(ALL_WEAPONS,))] = Field(
        description="Scope: 'all' for the actor's general rule, or a weapon_systems.id for a system-specific rule."
    )
    stance: Stance = Field(
        description="What is allowed against targets on the adversary's own territory: permitted, limited, "
        "not_permitted, no_public_position or unclear."
    )
    conditions: list[Condition] = Field(
        default_factory=list,
        validate_default=True,
        description="Stated limits, each with a kind and text.",
    )
    valid_from: dt.date = Field(description="Day the position was stated or took effect (ISO date).")
    date_precision: DatePrecision = Field(
        validate_default=True, description="day, or month when only the month is known."
    )
    stated_by: Text | None = Field(default=None, description="Who stated it (a person or body).")
    stated_by_role: Text | None = Field(default=None, description="The speaker's office at the time.")
    status: Status = Field(description="official (on the record) or reported (press or anonymous officials).")
    summary: Text = Field(description="The position in the dataset's own words.")
    quote: QuoteText | None = Field(
        default=None, description="The speaker's own words, short (200 characters at most)."
    )
    quote_language: Language | None = Field(
        default=None,
        validate_default=True,
        description="ISO 639-1 language of the quote.",
    )
    quote_translation: ShortText | None = Field(
        default=None,
        validate_default=True,
        description="English translation of the quote when it is not in English.",
    )
    note: Text | None = Field(
        default=None,
        description="Editorial note: conflicting sources and which one is followed.",
    )
    sources: list[SourceRef] = Field(min_length=1, description="Ids of the sources that support the position.")


#: The record types whose records are released, compared and retired, in the order the data flows.
VERSIONED_TYPES: dict[str, type[Record]] = {
    "actors": Actor,
    "weapon_systems": WeaponSystem,
    "sources": Source,
    "positions": Position,
}

RetiredTable = Enum("RetiredTable", {name: name for name in VERSIONED_TYPES}, type=str)
RetiredTable.__doc__ = "Tables whose records can be retired."


class Retirement(Record):
    """Tombstones: released records withdrawn from the data, with the reason. Their ids are never reused."""

    primary_key: ClassVar[tuple[str, ...]] = ("table", "id")

    id: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(description="Id of the retired record.")
    table: RetiredTable = Field(description="Table the retired record belonged to.")
    retired_in: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")] = Field(
        description="Dataset version from which the record is withdrawn."
    )
    reason: Text = Field(description="Why it was withdrawn (duplicate, unsupported by its sources, misdated...).")
    replaced_by: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = Field(
        default=None, description="Id of the record that replaces it, if any (same table)."
    )


#: The record types in the order the data flows: what a YAML file may hold, by key.
RECORD_TYPES: dict[str, type[Record]] = {**VERSIONED_TYPES, "retirements": Retirement}
