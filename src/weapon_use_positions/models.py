"""The data model: one pydantic class per record type, field rules and vocabularies.

These classes are the contract. Field names become SQLite columns, Parquet and CSV
columns and JSON Schema properties; field descriptions become the Datasette column
descriptions and the codebook; each class's docstring describes its table; `References`
on a field is its foreign key (and the reference check). `catalogue.py` derives every
table from here. Rules that look at more than one field are checks (checks.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, ClassVar
from urllib.parse import unquote, urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, WrapValidator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ACTOR_ID_PATTERN = r"^[A-Z][A-Z0-9]{1,9}$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
ActorId = Annotated[str, StringConstraints(pattern=ACTOR_ID_PATTERN)]
WikidataId = Annotated[str, StringConstraints(pattern=WIKIDATA_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
#: Characters refused anywhere in the data (as bytes of a file or through YAML escapes such as
#: "\\0"): C0 controls but tab, newline and carriage return, DEL, C1 controls, and the
#: bidirectional overrides that make text read other than it is stored.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Unicode categories that show nothing: spaces, separators, controls and format characters (zero-width).
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def visible_text(value: str) -> str:
    """Text holds no control character and shows something: not only spaces or zero-width characters."""
    if value.isprintable():  # the common case: no control, format (zero-width, bidi) or separator character
        return value
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ValueError(f"control character U+{ord(found.group()):04X} is not allowed in text")
    if unicodedata.category(value[:1] or " ") in INVISIBLE_CATEGORIES and all(
        unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in value
    ):
        raise ValueError("text shows nothing: it is only spaces or invisible characters")
    return value


def text_type(max_length: int):
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length), AfterValidator(visible_text)
    ]


Text = text_type(5000)
ShortText = text_type(300)
QuoteText = text_type(200)
ExcerptText = text_type(400)


#: The plausible window for every date of the data (one definition, in `Date`). The earliest is
#: Ukraine's independence (24 August 1991): no statement about weapons for Ukraine, and no page
#: reporting one, can be older (the war began in 2014, the dataset's positions in 2022; a date
#: between those is a judgement for review, not a field rule). The latest only keeps date
#: arithmetic (month ends, a day before) in range: the future-date check refuses any date after
#: the day of the run.
EARLIEST_DATE = dt.date(1991, 8, 24)
LATEST_DATE = dt.date(2099, 12, 31)
#: How a date is written: YYYY-MM-DD in ASCII digits, nothing else (no time, no timestamp).
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_FORM = "a date is written YYYY-MM-DD (e.g. 2024-06-01)"


def iso_date(value, parse) -> dt.date:
    """A calendar date written YYYY-MM-DD, within the window: never a number (YAML `0` is not 1970-01-01)."""
    if isinstance(value, bool) or isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
        raise ValueError(f"{DATE_FORM}, not {'true/false' if isinstance(value, bool) else kind_of(value)}")
    if isinstance(value, str) and value.isdigit():
        raise ValueError(f"{DATE_FORM}, not a number")
    date = parse(value)  # pydantic's own parsing and messages (month 13, 'last summer')
    if isinstance(value, str) and not re.fullmatch(DATE_PATTERN, value):
        raise ValueError(f"{DATE_FORM}, with no time or other form")
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise ValueError(f"date {date} is outside the plausible window {EARLIEST_DATE} to {LATEST_DATE}")
    return date


def kind_of(value) -> str:
    """What a YAML value is, in words (for messages that must not echo the value)."""
    if isinstance(value, (int, float)):
        return "a number"
    return {list: "a list", dict: "a mapping", dt.datetime: "a date and time"}.get(type(value), type(value).__name__)


Date = Annotated[
    dt.date,
    WrapValidator(iso_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "$comment": f"from {EARLIEST_DATE} to {LATEST_DATE}, and not in the future",
        }
    ),
]

#: The longest distance on Earth's surface (half its circumference), rounded down: no range exceeds it.
MAX_RANGE_KM = 20_000
#: A distance in kilometres: a finite number above 0 and at most MAX_RANGE_KM, never true/false or text.
Kilometres = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_RANGE_KM)]

#: The longest URL accepted (beyond about 2,000 characters browsers and servers start to refuse them).
MAX_URL_CHARS = 2_000
#: A host label: ASCII letters, digits and hyphens, 1 to 63, no hyphen at either end (RFC 1123).
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
#: A top-level domain: letters, or an internationalised one in its xn-- form (never a number: an IP address).
TOP_LEVEL_LABEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
#: Names reserved for local networks, tests and documentation (RFC 2606, 6761, 6762): no published page.
RESERVED_DOMAINS = (
    "localhost",
    "localdomain",
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "arpa",
    "test",
    "example",
    "invalid",
)
#: Scripts whose letters pass for Latin ones: a label mixing them with Latin is a homograph.
CONFUSABLE_SCRIPTS = {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}
#: The port a scheme uses when none is written (`:443` on https is the same address).
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Unicode categories never allowed in a URL: controls, invisible formatting (bidi, zero width), spaces.
FORBIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")


def http_url(value: str) -> str:
    """An absolute http(s) address of a public web page: a domain-name host in ASCII, a valid port, no user
    name, and no spaces, control characters or backslashes; never javascript:, file:, data: or localhost."""
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in DEFAULT_PORTS:
        raise ValueError("URL must start with http:// or https://")
    if len(value) > MAX_URL_CHARS:
        raise ValueError(f"URL is over {MAX_URL_CHARS:,} characters")
    if not (value.isprintable() and " " not in value) and any(
        unicodedata.category(c) in FORBIDDEN_CATEGORIES for c in value
    ):
        raise ValueError("URL may not contain spaces, control characters or invisible characters")
    if "\\" in value:
        raise ValueError("URL may not contain a backslash")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError("URL cannot be read: check the brackets of its host") from None
    if not parts.hostname:
        raise ValueError("URL needs a host and may not contain spaces")
    if "@" in parts.netloc:
        raise ValueError("URL may not contain a user name or password (user@host): give the site's own address")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        raise ValueError("URL port must be a number from 1 to 65535")
    host_problem = host_rule(parts.hostname)
    if host_problem:
        raise ValueError(f"URL host {host_problem}")
    return value


def host_rule(host: str) -> str | None:
    """What is wrong with a URL's host (lower case, as urlsplit gives it), or None for a public domain name."""
    labels = host.split(".")
    if ":" in host or all(label.isdigit() for label in labels):
        return "must be a domain name, not an IP address"
    if not host.isascii() or len(host) > 253 or not all(HOST_LABEL.match(label) for label in labels):
        return "must be a domain name of ASCII letters, digits and hyphens (an internationalised name in its xn-- form)"
    if len(labels) < 2 or labels[-1] in RESERVED_DOMAINS or host in RESERVED_DOMAINS:
        return "must be a public domain name (not localhost, a local or reserved name, or a single label)"
    if not TOP_LEVEL_LABEL.match(labels[-1]):
        return "must end in a top-level domain of letters (a number there makes it an IP address)"
    for label in labels:
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                return f"label {label} is not valid punycode"
            scripts = {unicodedata.name(c, "?").split()[0] for c in decoded if c.isalpha()}
            if "LATIN" in scripts and scripts & CONFUSABLE_SCRIPTS:
                return f"label {label} mixes Latin letters with look-alike letters of another script"
    return None


def same_page(url: str) -> tuple:
    """What makes two URLs one page: host (any case), port unless the default, path without a trailing slash
    and query; not the scheme (http and https), the case of scheme or host, `:443`/`:80` or the #fragment."""
    parts = urlsplit(url)
    port = parts.port if parts.port not in DEFAULT_PORTS.values() else None
    return (parts.hostname, port, unquote(parts.path).rstrip("/"), parts.query)


HttpUrl = Annotated[
    str,
    AfterValidator(http_url),
    WithJsonSchema(
        {"type": "string", "format": "uri", "pattern": "^[hH][tT][tT][pP][sS]?://", "maxLength": MAX_URL_CHARS}
    ),
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


class Statement(str, Enum):
    """What kind of statement a position is; it decides what `stance` means."""

    rule = "rule"
    supply = "supply"
    pledge = "pledge"
    request = "request"
    warning = "warning"
    view = "view"


class Stance(str, Enum):
    """What the statement says about use against targets on the adversary's own territory (per statement kind)."""

    permitted = "permitted"
    limited = "limited"
    not_permitted = "not_permitted"
    no_public_position = "no_public_position"
    unclear = "unclear"


class Decision(str, Enum):
    """A supply statement's decision about a weapon system."""

    supply = "supply"
    withhold = "withhold"
    undecided = "undecided"


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
    Statement: {
        "rule": "A supplier's rule for the use of weapons it supplies itself, stated by its government "
        "(including a rule it confirms for a recipient).",
        "supply": "A supplier's decision to supply or withhold a system, with its stated reason; not a rule on use "
        "(nothing supplied, nothing ruled). `decision` holds it; `stance` is empty.",
        "pledge": "The recipient's commitment on how it will use the weapons it receives.",
        "request": "The recipient's demand that suppliers allow (or lift limits on) a use.",
        "warning": "The adversary's threat of consequences if supplied weapons are used in a given way.",
        "view": "Any actor's opinion on weapons it does not supply, or on the recipient's strikes in general: "
        "alliances, third parties, a supplier commenting on another country's system.",
    },
    Stance: {
        "permitted": "Use against targets on the adversary's territory without limits beyond international law "
        "(its meaning for each statement kind: see STANCE_MEANINGS).",
        "limited": "Use against targets on the adversary's territory under stated limits, listed in conditions.",
        "not_permitted": "No use against targets on the adversary's territory: only on the recipient's own "
        "territory, occupied areas included.",
        "no_public_position": "A source documents that the actor declined to say.",
        "unclear": "The words do not allow the stance to be classified (the note says why).",
    },
    Decision: {
        "supply": "Decides to supply the system.",
        "withhold": "Decides not to supply it, or not for now.",
        "undecided": "Says the decision is still open.",
    },
    Role: {
        "supplier": "Supplies weapons to the recipient.",
        "recipient": "Receives the weapons (states what it pledges or asks).",
        "adversary": "The party the weapons are used against (states what it warns against).",
        "alliance": "An alliance or union of states, or its officials; supplies nothing as such.",
        "third_party": "Supplies none of the weapons concerned but states a view.",
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


#: The statement kinds each role can make.
STATEMENTS_BY_ROLE: dict[Role, tuple[Statement, ...]] = {
    Role.supplier: (Statement.rule, Statement.supply, Statement.view),
    Role.recipient: (Statement.pledge, Statement.request, Statement.view),
    Role.adversary: (Statement.warning, Statement.view),
    Role.alliance: (Statement.view,),
    Role.third_party: (Statement.view,),
}

#: For each statement kind, the stances it can take and what each means (supply takes none: see Decision).
STANCE_MEANINGS: dict[Statement, dict[Stance, str]] = {
    Statement.rule: {
        Stance.permitted: "The supplier allows use of its weapons against targets on the adversary's territory "
        "with no limit beyond international law.",
        Stance.limited: "The supplier allows such use under stated limits (conditions list them).",
        Stance.not_permitted: "The supplier allows its weapons to be used only on the recipient's own territory, "
        "occupied areas included.",
        Stance.no_public_position: "A source documents that the government declined to say what it allows.",
        Stance.unclear: "The supplier spoke about use but its words do not allow classification.",
    },
    Statement.supply: {},
    Statement.pledge: {
        Stance.not_permitted: "The recipient commits not to use the weapons against targets on the adversary's "
        "territory.",
        Stance.limited: "The recipient commits to use them there only within stated limits (conditions).",
        Stance.unclear: "A commitment whose reach the words do not make clear.",
    },
    Statement.request: {
        Stance.permitted: "The recipient asks for every limit on use against the adversary's territory to be lifted.",
        Stance.limited: "The recipient asks to be allowed particular uses (conditions say which).",
        Stance.unclear: "A request whose reach the words do not make clear.",
    },
    Statement.warning: {
        Stance.not_permitted: "The adversary threatens consequences for any use of supplied weapons against "
        "targets on what it claims as its territory.",
        Stance.limited: "It threatens consequences only for particular uses, named in conditions (e.g. strikes "
        "deep into its territory, or on an area it claims).",
        Stance.unclear: "A threat whose trigger the words do not make clear.",
    },
    Statement.view: {
        Stance.permitted: "The actor says suppliers should allow use against targets on the adversary's territory, "
        "or supports such use, without limits.",
        Stance.limited: "It supports such use under limits (conditions).",
        Stance.not_permitted: "It opposes any such use.",
        Stance.no_public_position: "A source documents that it declined to give a view.",
        Stance.unclear: "Its words do not allow classification.",
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
#: A rule not restated (confirmed) for longer than this, on a given day, is marked as possibly stale.
STALE_AFTER_MONTHS = 12
#: The scope of a position: a position lasts until the next one of the same scope (one actor's
#: statements of one kind about one recipient and one weapons scope).
SCOPE = ("actor_id", "recipient_id", "statement", "weapons")


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
    max_range_km: Kilometres | None = Field(default=None, description="Maximum range in kilometres, where known.")
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
    published: Date = Field(description="Publication date the page shows (ISO date).")
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
    accessed: Date = Field(description="Day the page was last read to check the records it supports (ISO date).")


class Condition(Record):
    """One stated limit on use."""

    kind: ConditionKind = Field(description="What the limit restricts.")
    text: Text = Field(description="The limit in a sentence.")


class SourceRef(Record):
    """A position's citation of a source."""

    id: Annotated[Slug, References("sources")] = Field(description="Id of a source record.")
    excerpt: ExcerptText = Field(
        description="The passage of the page, verbatim as published (at most 400 characters), that supports the "
        "position's date, speaker and stance."
    )


class Confirmation(Record):
    """A later restatement of a position: same actor, scope and stance, on a later day."""

    date: Date = Field(description="Day the position was restated (ISO date).")
    source: Annotated[Slug, References("sources")] = Field(description="Id of the source that shows the restatement.")
    excerpt: ExcerptText = Field(description="The passage of that page, verbatim, that shows the restatement.")
    stated_by: Text | None = Field(default=None, description="Who restated it, if not the original speaker.")


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
    statement: Statement = Field(
        description="Kind of statement: rule, supply, pledge, request, warning or view (the role decides which "
        "are possible; the kind decides what stance means)."
    )
    weapons: Annotated[Slug, References("weapon_systems", reserved=(ALL_WEAPONS,))] = Field(
        description="Scope: 'all' for the actor's general position, or a weapon_systems.id for a system-specific one."
    )
    stance: Stance | None = Field(
        default=None,
        description="What the statement says about use against targets on the adversary's own territory: "
        "permitted, limited, not_permitted, no_public_position or unclear (meaning per statement kind; "
        "empty for supply).",
    )
    decision: Decision | None = Field(
        default=None, description="For a supply statement only: supply, withhold or undecided."
    )
    covers: list[Annotated[Slug, References("weapon_systems")]] = Field(
        default_factory=list,
        description="For a general position: systems with an older position of their own that this one supersedes.",
    )
    excludes: list[Annotated[Slug, References("weapon_systems")]] = Field(
        default_factory=list,
        description="For a general position: systems it does not reach (their own position stays in force).",
    )
    conditions: list[Condition] = Field(
        default_factory=list,
        validate_default=True,
        description="Stated limits, each with a kind and text.",
    )
    valid_from: Date = Field(description="Day the position was stated or took effect (ISO date).")
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
    sources: list[SourceRef] = Field(
        min_length=1, description="The sources that support the position, each with its supporting excerpt."
    )
    confirmations: list[Confirmation] = Field(
        default_factory=list,
        validate_default=True,
        description="Later restatements of the same position, each dated and sourced.",
    )


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


class Coverage(Record):
    """The coverage log: for each actor considered, what was searched for and through which date, what was found, and what was left out and why."""

    id: Slug = Field(description="Slug id: the actor's id in lower case, or a slug of the name of an actor left out.")
    actor_id: Annotated[ActorId, References("actors")] | None = Field(
        default=None, description="The actor (actors.id); empty for an actor considered but left out of the data."
    )
    name: Text = Field(description="The actor's name.")
    searched: Text = Field(description="What was searched for: speakers, weapon systems, events, languages.")
    searched_through: Date | None = Field(
        default=None,
        description="The latest date of the pages the searches reached (ISO date); empty when no page they "
        "returned showed a date.",
    )
    found: Text = Field(description="What was found: positions and confirmations added, or nothing.")
    left_out: Text = Field(description="What was left out and why (undated pages, statements out of scope...).")


#: The record types in the order the data flows: what a YAML file may hold, by key.
RECORD_TYPES: dict[str, type[Record]] = {**VERSIONED_TYPES, "retirements": Retirement, "coverage": Coverage}
