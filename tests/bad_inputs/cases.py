"""The catalogue of bad inputs: each case is a change to a valid file and the exact reports it must give.

BASE is a valid data file added to the fixture tree as data/positions/bad.yaml; each case
edits it (or adds other files) and lists every problem validate must report, as
(path, line, record id, field, message).
"""

import datetime as dt
import os

BASE = """\
sources:
  - id: bad-src
    url: https://example.org/bad
    title: A page
    publisher: Example
    published: 2024-06-01
    language: en
    kind: newspaper
    accessed: 2024-06-02
positions:
  - id: bad-1
    actor_id: AAA
    recipient_id: UKR
    role: supplier
    statement: rule
    weapons: himars
    stance: permitted
    valid_from: 2024-06-01
    date_precision: day
    status: official
    summary: A summary.
    sources:
      - id: bad-src
        excerpt: We said it. Wir sagten es.
"""
BAD = "data/positions/bad.yaml"


def replace(old, new):
    def edit(text):
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def insert_after(line_number, text_to_insert):
    def edit(text):
        lines = text.split("\n")
        lines.insert(line_number, text_to_insert)
        return "\n".join(lines)

    return edit


def whole(new_text):
    return lambda text: new_text


# (name, edit of BASE as text or bytes, expected problems)
CASES = [
    (
        "stance-unknown-value",
        replace("stance: permitted", "stance: allowed"),
        [
            (
                BAD,
                17,
                "bad-1",
                "stance",
                "Input should be 'permitted', 'limited', 'not_permitted', 'no_public_position' or 'unclear'",
            )
        ],
    ),
    (
        "stance-wrong-type",
        replace("stance: permitted", "stance: [permitted]"),
        [
            (
                BAD,
                17,
                "bad-1",
                "stance",
                "Input should be 'permitted', 'limited', 'not_permitted', 'no_public_position' or 'unclear'",
            )
        ],
    ),
    (
        "role-unknown-value",
        replace("role: supplier", "role: donor"),
        [
            (
                BAD,
                14,
                "bad-1",
                "role",
                "Input should be 'supplier', 'recipient', 'adversary', 'alliance' or 'third_party'",
            )
        ],
    ),
    (
        "status-unknown-value",
        replace("status: official", "status: rumour"),
        [(BAD, 20, "bad-1", "status", "Input should be 'official' or 'reported'")],
    ),
    (
        "date-precision-unknown",
        replace("date_precision: day", "date_precision: year"),
        [(BAD, 19, "bad-1", "date_precision", "Input should be 'day' or 'month'")],
    ),
    (
        "source-kind-unknown",
        replace("kind: newspaper", "kind: blog"),
        [
            (
                BAD,
                8,
                "bad-src",
                "kind",
                "Input should be 'official', 'news_agency', 'newspaper', 'broadcaster', 'state_affiliated' or 'other'",
            )
        ],
    ),
    (
        "condition-kind-unknown",
        replace(
            "    stance: permitted\n",
            "    stance: limited\n    conditions:\n      - kind: weather\n        text: Only when sunny.\n",
        ),
        [
            (
                BAD,
                19,
                "bad-1",
                "conditions[0].kind",
                "Input should be 'geographic', 'target', 'purpose', 'range', 'airspace', 'legal' or 'other'",
            )
        ],
    ),
    (
        "unknown-field",
        replace("    summary: A summary.\n", "    summary: A summary.\n    colour: red\n"),
        [(BAD, 22, "bad-1", "colour", "Extra inputs are not permitted")],
    ),
    (
        "unknown-field-in-source",
        replace("    kind: newspaper\n", "    kind: newspaper\n    author: Someone\n"),
        [(BAD, 9, "bad-src", "author", "Extra inputs are not permitted")],
    ),
    (
        "missing-required-field",
        replace("    summary: A summary.\n", ""),
        [(BAD, 11, "bad-1", "summary", "Field required")],
    ),
    (
        "missing-sources",
        replace("    sources:\n      - id: bad-src\n        excerpt: We said it. Wir sagten es.\n", ""),
        [(BAD, 11, "bad-1", "sources", "Field required")],
    ),
    (
        "empty-sources-list",
        replace(
            "    sources:\n      - id: bad-src\n        excerpt: We said it. Wir sagten es.\n", "    sources: []\n"
        ),
        [(BAD, 22, "bad-1", "sources", "List should have at least 1 item after validation, not 0")],
    ),
    (
        "bad-date",
        replace("valid_from: 2024-06-01", "valid_from: 2024-13-01"),
        [
            (
                BAD,
                18,
                "bad-1",
                "valid_from",
                "Input should be a valid date or datetime, month value is outside expected range of 1-12",
            )
        ],
    ),
    (
        "not-a-date",
        replace("valid_from: 2024-06-01", "valid_from: last summer"),
        [(BAD, 18, "bad-1", "valid_from", "Input should be a valid date or datetime, invalid character in year")],
    ),
    (
        "future-valid-from",
        replace("valid_from: 2024-06-01", "valid_from: 2099-06-01"),
        [
            (BAD, 18, "bad-1", "valid_from", "date 2099-06-01 is in the future"),
            (
                BAD,
                23,
                "bad-1",
                "sources[0].id",
                "source published 2024-06-01, before valid_from 2099-06-01: the position is misdated",
            ),
        ],
    ),
    (
        "future-published",
        replace("published: 2024-06-01", "published: 2099-06-01"),
        [
            (BAD, 6, "bad-src", "published", "date 2099-06-01 is in the future"),
            (BAD, 9, "bad-src", "accessed", "accessed 2024-06-02, before the page was published (2099-06-01)"),
        ],
    ),
    (
        "source-before-position",
        replace("published: 2024-06-01", "published: 2023-01-01"),
        [
            (
                BAD,
                23,
                "bad-1",
                "sources[0].id",
                "source published 2023-01-01, before valid_from 2024-06-01: the position is misdated",
            )
        ],
    ),
    (
        "month-precision-not-first-day",
        replace("valid_from: 2024-06-01\n    date_precision: day", "valid_from: 2024-06-10\n    date_precision: month"),
        [
            (
                BAD,
                19,
                "bad-1",
                "date_precision",
                "with date_precision 'month', valid_from must be the first day of the month",
            )
        ],
    ),
    (
        "limited-without-condition",
        replace("stance: permitted", "stance: limited"),
        [(BAD, 11, "bad-1", "conditions", "a 'limited' stance needs at least one condition")],
    ),
    (
        "quote-without-language",
        replace("    summary: A summary.\n", "    summary: A summary.\n    quote: We said it.\n"),
        [(BAD, 11, "bad-1", "quote_language", "quote_language is required with a quote")],
    ),
    (
        "quote-not-english-without-translation",
        replace(
            "    summary: A summary.\n", "    summary: A summary.\n    quote: Wir sagten es.\n    quote_language: de\n"
        ),
        [(BAD, 11, "bad-1", "quote_translation", "quote_translation is required when the quote is not in English")],
    ),
    (
        "translation-of-english-quote",
        replace(
            "    summary: A summary.\n",
            "    summary: A summary.\n    quote: We said it.\n    quote_language: en\n    quote_translation: We said it.\n",
        ),
        [(BAD, 24, "bad-1", "quote_translation", "quote_translation is only for a quote that is not in English")],
    ),
    (
        "empty-quote",
        replace("    summary: A summary.\n", "    summary: A summary.\n    quote: ''\n    quote_language: en\n"),
        [(BAD, 22, "bad-1", "quote", "String should have at least 1 character")],
    ),
    (
        "quote-too-long",
        replace(
            "    summary: A summary.\n",
            "    summary: A summary.\n    quote: " + "x" * 201 + "\n    quote_language: en\n",
        ),
        [(BAD, 22, "bad-1", "quote", "String should have at most 200 characters")],
    ),
    (
        "blank-summary",
        replace("summary: A summary.", "summary: '   '"),
        [(BAD, 21, "bad-1", "summary", "String should have at least 1 character")],
    ),
    (
        "javascript-url",
        replace("url: https://example.org/bad", "url: javascript:alert(1)"),
        [(BAD, 3, "bad-src", "url", "URL must start with http:// or https://")],
    ),
    (
        "file-url",
        replace("url: https://example.org/bad", "url: file:///etc/passwd"),
        [(BAD, 3, "bad-src", "url", "URL must start with http:// or https://")],
    ),
    (
        "data-url",
        replace("url: https://example.org/bad", "url: 'data:text/html,<b>x</b>'"),
        [(BAD, 3, "bad-src", "url", "URL must start with http:// or https://")],
    ),
    (
        "url-without-host",
        replace("url: https://example.org/bad", "url: 'https:///nothing'"),
        [(BAD, 3, "bad-src", "url", "URL needs a host and may not contain spaces")],
    ),
    (
        "bad-slug-id",
        replace("id: bad-1", "id: Bad One"),
        [(BAD, 11, "Bad One", "id", "String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'")],
    ),
    (
        "bad-actor-id-format",
        replace("actor_id: AAA", "actor_id: usa"),
        [(BAD, 12, "bad-1", "actor_id", "String should match pattern '^[A-Z][A-Z0-9]{1,9}$'")],
    ),
    (
        "unknown-actor",
        replace("actor_id: AAA", "actor_id: ZZZ"),
        [(BAD, 12, "bad-1", "actor_id", "unknown actor 'ZZZ'")],
    ),
    (
        "unknown-weapon",
        replace("weapons: himars", "weapons: laser"),
        [(BAD, 16, "bad-1", "weapons", "unknown weapon system 'laser'")],
    ),
    (
        "unknown-source",
        replace("      - id: bad-src\n", "      - id: no-such-source\n"),
        [
            (BAD, 2, "bad-src", "id", "source is not cited by any position"),
            (BAD, 23, "bad-1", "sources[0].id", "unknown source 'no-such-source'"),
        ],
    ),
    (
        "clash-same-actor-scope-day",
        replace("valid_from: 2024-06-01", "valid_from: 2022-07-01"),
        [(BAD, 18, "bad-1", "valid_from", "aaa-himars-2022-07-01 already gives AAA's rule on 'himars' from this date")],
    ),
    (
        "duplicate-id-across-files",
        replace("id: bad-1", "id: aaa-all-2022-06-01"),
        [(BAD, 11, "aaa-all-2022-06-01", "id", "duplicate id (first used at data/positions/aaa.yaml:51)")],
    ),
    (
        "duplicate-url",
        replace("url: https://example.org/bad", "url: https://example.org/aaa/2022-06-01"),
        [(BAD, 3, "bad-src", "url", "URL already used by source example-2022-06-01-aaa")],
    ),
    (
        "duplicate-key",
        replace("    stance: permitted\n", "    stance: permitted\n    stance: limited\n"),
        [
            (BAD, 11, "bad-1", "conditions", "a 'limited' stance needs at least one condition"),
            (BAD, 18, "bad-1", "stance", "key appears twice"),
        ],
    ),
    (
        "unknown-record-type",
        replace("positions:\n", "stances:\n"),
        [
            (BAD, 2, "bad-src", "id", "source is not cited by any position"),
            (
                BAD,
                10,
                "-",
                "stances",
                "unknown record type (expected one of actors, weapon_systems, sources, positions, retirements, coverage)",
            ),
        ],
    ),
    (
        "record-type-not-a-list",
        whole("positions:\n  id: bad-1\n"),
        [(BAD, 1, "-", "positions", "expected a list of records")],
    ),
    (
        "record-not-a-mapping",
        whole("positions:\n  - just a string\n"),
        [(BAD, 2, "positions[0]", "-", "expected a mapping (a record)")],
    ),
    (
        "file-is-a-list",
        whole("- id: bad-1\n- id: bad-2\n"),
        [(BAD, 1, "-", "-", "expected a mapping of record types to lists")],
    ),
    (
        "file-is-a-scalar",
        whole("just some text\n"),
        [(BAD, 1, "-", "-", "expected a mapping of record types to lists")],
    ),
    ("empty-file", whole(""), [(BAD, 1, "-", "-", "file is empty")]),
    ("comments-only", whole("# nothing here yet\n"), [(BAD, 1, "-", "-", "file is empty")]),
    (
        "broken-yaml-syntax",
        replace("title: A page", "title: [unclosed"),
        [(BAD, 5, "-", "-", "YAML syntax: while parsing a flow sequence did not find expected ',' or ']'")],
    ),
    (
        "tab-indentation",
        replace("    title: A page", "\ttitle: A page"),
        [
            (
                BAD,
                4,
                "-",
                "-",
                "YAML syntax: while scanning a plain scalar found a tab character that violates indentation",
            )
        ],
    ),
    ("byte-order-mark-is-fine", lambda text: "\ufeff" + text, []),
    (
        "non-utf8-bytes",
        lambda text: text.replace("A summary.", "A summ\udcffary.").encode("utf-8", "surrogateescape"),
        [(BAD, 21, "-", "-", "not valid UTF-8 (byte 0xff)")],
    ),
    (
        "python-object-tag",
        replace("title: A page", "title: !!python/object/apply:os.system ['echo hi']"),
        [(BAD, 4, "-", "-", "tags such as '!!python/object/apply:os.system' are not allowed")],
    ),
    (
        "anchors-and-aliases",
        replace("    title: A page\n    publisher: Example\n", "    title: &t A page\n    publisher: *t\n"),
        [(BAD, 4, "-", "-", "anchors and aliases (& and *) are not allowed in data files")],
    ),
    ("norwegian-no-is-a-string", replace("language: en", "language: no"), []),
    (
        "number-where-text-expected",
        replace("title: A page", "title: 42"),
        [(BAD, 4, "bad-src", "title", "Input should be a valid string")],
    ),
    (
        "negative-range",
        whole("weapon_systems:\n  - {id: odd, name: Odd, category: other, max_range_km: -5}\n"),
        [(BAD, 2, "odd", "max_range_km", "Input should be greater than 0")],
    ),
    (
        "reserved-weapon-id-all",
        whole("weapon_systems:\n  - {id: all, name: All, category: other}\n"),
        [(BAD, 2, "all", "id", "'all' is reserved in positions.weapons and cannot be a weapon system id")],
    ),
    (
        "state-media-only-source",
        lambda text: text.replace("    kind: newspaper\n", "    kind: state_affiliated\n    controlled_by: UKR\n"),
        [(BAD, 23, "bad-1", "sources", "only cites media controlled by UKR: add an independent source")],
    ),
    (
        "retire-unreleased-id",
        whole("retirements:\n  - {id: bad-9, table: positions, retired_in: 0.2.0, reason: Duplicate.}\n"),
        [(BAD, 2, "bad-9", "id", "positions 'bad-9' was never released: just delete it")],
    ),
]

# Codebook 1.0: statement kinds, coverage of general positions, excerpts, quotes, confirmations, accessed
CASES += [
    (
        "statement-unknown-kind",
        replace("statement: rule", "statement: opinion"),
        [
            (
                BAD,
                15,
                "bad-1",
                "statement",
                "Input should be 'rule', 'supply', 'pledge', 'request', 'warning' or 'view'",
            )
        ],
    ),
    (
        "statement-missing",
        replace("    statement: rule\n", ""),
        [(BAD, 11, "bad-1", "statement", "Field required")],
    ),
    (
        "statement-does-not-fit-role",
        replace("role: supplier", "role: third_party"),
        [(BAD, 15, "bad-1", "statement", "a third_party cannot state a 'rule': one of view")],
    ),
    (
        "supplier-cannot-warn",
        replace("statement: rule", "statement: warning"),
        [
            (BAD, 15, "bad-1", "statement", "a supplier cannot state a 'warning': one of rule, supply, view"),
            (
                BAD,
                17,
                "bad-1",
                "stance",
                "a warning cannot have stance 'permitted': one of not_permitted, limited, unclear",
            ),
        ],
    ),
    (
        "supply-with-stance-and-no-decision",
        replace("statement: rule", "statement: supply"),
        [
            (BAD, 11, "bad-1", "decision", "a supply statement needs a decision"),
            (BAD, 17, "bad-1", "stance", "a supply statement has no stance (it is not a rule on use): use decision"),
        ],
    ),
    (
        "decision-on-a-rule",
        replace("    stance: permitted\n", "    stance: permitted\n    decision: withhold\n"),
        [(BAD, 18, "bad-1", "decision", "decision is only for a supply statement")],
    ),
    (
        "rule-without-stance",
        replace("    stance: permitted\n", ""),
        [
            (
                BAD,
                11,
                "bad-1",
                "stance",
                "a rule needs a stance: one of permitted, limited, not_permitted, no_public_position, unclear",
            )
        ],
    ),
    (
        "general-rule-leaves-older-system-rule-unaddressed",
        replace("weapons: himars", "weapons: all"),
        [
            (
                BAD,
                11,
                "bad-1",
                "covers",
                "follows aaa-atacms-2024-04-24 (atacms: not_permitted) with a different stance: "
                "list 'atacms' under covers or excludes",
            )
        ],
    ),
    (
        "general-rule-that-excludes-the-system-is-fine",
        replace("weapons: himars", "weapons: all\n    excludes: [atacms]"),
        [],
    ),
    (
        "covers-on-a-system-position",
        replace("weapons: himars", "weapons: himars\n    covers: [atacms]"),
        [(BAD, 17, "bad-1", "covers", "covers is only for a general ('all') position")],
    ),
    (
        "covered-and-excluded",
        replace("weapons: himars", "weapons: all\n    covers: [atacms]\n    excludes: [atacms]"),
        [(BAD, 18, "bad-1", "excludes", "'atacms' is both covered and excluded")],
    ),
    (
        "covers-unknown-weapon",
        replace("weapons: himars", "weapons: all\n    excludes: [atacms, laser]"),
        [(BAD, 17, "bad-1", "excludes[1]", "unknown weapon system 'laser'")],
    ),
    (
        "quote-in-no-excerpt",
        replace(
            "    summary: A summary.\n",
            "    summary: A summary.\n    quote: We never said it.\n    quote_language: en\n",
        ),
        [
            (
                BAD,
                22,
                "bad-1",
                "quote",
                "the quote is in no excerpt of the position's sources: quote the words as the excerpt prints them",
            )
        ],
    ),
    (
        "quote-with-typographic-marks-is-found",
        replace(
            "excerpt: We said it. Wir sagten es.",
            'excerpt: "\u201cWe said   it,\u201d he said."',
        ),
        [],
    ),
    (
        "excerpt-missing",
        replace("        excerpt: We said it. Wir sagten es.\n", ""),
        [(BAD, 23, "bad-1", "sources[0].excerpt", "Field required")],
    ),
    (
        "excerpt-too-long",
        replace("excerpt: We said it. Wir sagten es.", "excerpt: " + "x" * 401),
        [(BAD, 24, "bad-1", "sources[0].excerpt", "String should have at most 400 characters")],
    ),
    (
        "accessed-missing",
        replace("    accessed: 2024-06-02\n", ""),
        [(BAD, 2, "bad-src", "accessed", "Field required")],
    ),
    (
        "accessed-before-published",
        replace("accessed: 2024-06-02", "accessed: 2024-05-01"),
        [(BAD, 9, "bad-src", "accessed", "accessed 2024-05-01, before the page was published (2024-06-01)")],
    ),
    (
        "month-only-source-with-a-day",
        replace("    published: 2024-06-01\n", "    published: 2024-05-15\n    published_precision: month\n"),
        [
            (
                BAD,
                7,
                "bad-src",
                "published_precision",
                "with published_precision 'month', published must be the first day of the month",
            )
        ],
    ),
    (
        "confirmation-before-the-position",
        replace(
            "    sources:\n",
            "    confirmations:\n      - {date: 2024-05-01, source: bad-src, excerpt: Said again.}\n    sources:\n",
        ),
        [(BAD, 23, "bad-1", "confirmations[0].date", "confirmed 2024-05-01, not after valid_from 2024-06-01")],
    ),
    (
        "confirmation-from-unknown-source",
        replace(
            "    sources:\n",
            "    confirmations:\n      - {date: 2024-07-01, source: nowhere, excerpt: Said again.}\n    sources:\n",
        ),
        [(BAD, 23, "bad-1", "confirmations[0].source", "unknown source 'nowhere'")],
    ),
    (
        "confirmation-without-excerpt",
        replace(
            "    sources:\n",
            "    confirmations:\n      - {date: 2024-07-01, source: bad-src}\n    sources:\n",
        ),
        [(BAD, 23, "bad-1", "confirmations[0].excerpt", "Field required")],
    ),
]

# Texts that name records: only records of the data
CASES += [
    (
        "note-names-an-unknown-position",
        replace("    summary: A summary.\n", "    summary: A summary.\n    note: As aaa-all-2021-01-01 said before.\n"),
        [(BAD, 22, "bad-1", "note", "names aaa-all-2021-01-01, which is no position of the data")],
    ),
    (
        "summary-names-an-existing-position",
        replace(
            "    summary: A summary.\n",
            "    summary: Follows aaa-all-2024-05-30 (a source id like example-2024-05-30-aaa is no position).\n",
        ),
        [],
    ),
]


def later_pages(confirmations, published=("2024-09-01", "2024-09-02"), precision=""):
    """BASE with two later pages (later-1, later-2) and the given confirmations of bad-1."""

    def edit(text):
        pages = "".join(
            f"  - id: later-{n}\n    url: https://example.org/later/{n}\n    title: A later page\n"
            f"    publisher: Example\n    published: {day}\n{precision}    language: en\n    kind: newspaper\n"
            f"    accessed: 2024-09-03\n"
            for n, day in enumerate(published, start=1)
        )
        text = text.replace("positions:\n", pages + "positions:\n", 1)
        return text.replace(
            "    sources:\n      - id: bad-src\n",
            f"    confirmations:\n{confirmations}" + "    sources:\n      - id: bad-src\n",
            1,
        )

    return edit


CASES += [
    (
        "two-confirmations-from-one-page",
        later_pages(
            "      - {date: 2024-07-01, source: later-1, excerpt: Said again.}\n"
            "      - {date: 2024-08-01, source: later-1, excerpt: Said once more.}\n",
            published=("2024-09-01",),
        ),
        [(BAD, 32, "bad-1", "confirmations[1].source", "confirmations[0] already cites later-1")],
    ),
    (
        "confirmation-later-than-its-page",
        replace(
            "    sources:\n      - id: bad-src\n",
            "    confirmations:\n      - {date: 2024-07-01, source: bad-src, excerpt: Said again.}\n"
            "    sources:\n      - id: bad-src\n",
        ),
        [
            (
                BAD,
                23,
                "bad-1",
                "confirmations[0].date",
                "the page it cites was published 2024-06-01, before the restatement of 2024-07-01",
            )
        ],
    ),
    (
        "one-restatement-from-two-pages",
        later_pages(
            "      - {date: 2024-08-01, source: later-1, excerpt: Said again.}\n"
            "      - {date: 2024-08-01, source: later-2, excerpt: 'Said again, as another page reports it.'}\n"
        ),
        [
            (
                BAD,
                40,
                "bad-1",
                "confirmations[1].date",
                "confirmations[0] already records the restatement of 2024-08-01: cite one page per restatement",
            )
        ],
    ),
    (
        "one-restatement-by-the-speaker-from-two-pages",
        later_pages(
            "      - {date: 2024-08-01, source: later-1, excerpt: Said again., stated_by: A Minister}\n"
            "      - {date: 2024-08-01, source: later-2, excerpt: Said again., stated_by: a minister}\n"
        ),
        [
            (
                BAD,
                40,
                "bad-1",
                "confirmations[1].date",
                "confirmations[0] already records the restatement of 2024-08-01 by a minister: cite one page per "
                "restatement",
            )
        ],
    ),
    (
        "two-speakers-restate-on-one-day",
        later_pages(
            "      - {date: 2024-08-01, source: later-1, excerpt: Said again., stated_by: A Minister}\n"
            "      - {date: 2024-08-01, source: later-2, excerpt: Said again., stated_by: A Spokesperson}\n"
        ),
        [],
    ),
    (
        "restatement-within-the-month-of-a-month-only-page",
        later_pages(
            "      - {date: 2024-09-20, source: later-1, excerpt: Said again.}\n",
            published=("2024-09-01",),
            precision="    published_precision: month\n",
        ),
        [],
    ),
]


class Tree:
    """A case that changes the data folder itself (links, folders, snapshots), beside bad.yaml."""

    def __init__(self, change):
        self.change = change

    def __call__(self, text):
        return text


def link(name, target):
    """A symbolic link at data/positions/<name> to target (a path, or a name beside it)."""
    return Tree(lambda data: (data / "positions" / name).symlink_to(target))


def released(change=None):
    """Release the fixture tree as 1.0.0 (a real snapshot), then change its snapshot file."""

    def apply(data):
        from weapon_use_positions.checks import validate_data
        from weapon_use_positions.history import canonical_records, write_snapshot

        records = canonical_records(validate_data(data, today=dt.date(2026, 1, 1)))
        path = write_snapshot(data / "releases", "1.0.0", "2025-01-01", records)
        if change:
            change(path, data)

    return Tree(apply)


def edit_snapshot(edit):
    return released(lambda path, data: path.write_text(edit(path.read_text())))


LINK_FILE = "symbolic link: data files must be regular files inside the data folder, not links"
SNAPSHOT = "data/releases/1.0.0.jsonl"

# Paths: nothing outside the data folder is read, nothing is skipped without a word
CASES += [
    ("symlink-to-a-file-outside", link("x.yaml", "/etc/passwd"), [("data/positions/x.yaml", 0, "-", "-", LINK_FILE)]),
    ("symlink-dangling", link("x.yaml", "/nonexistent/x.yaml"), [("data/positions/x.yaml", 0, "-", "-", LINK_FILE)]),
    ("symlink-loop", link("x.yaml", "x.yaml"), [("data/positions/x.yaml", 0, "-", "-", LINK_FILE)]),
    ("symlink-inside-the-data", link("x.yaml", "bad.yaml"), [("data/positions/x.yaml", 0, "-", "-", LINK_FILE)]),
    (
        "symlink-to-a-folder",
        Tree(lambda data: (data / "more").symlink_to("/etc")),
        [("data/more", 0, "-", "-", "symbolic link: data files and folders must be inside the data folder, not links")],
    ),
    (
        "folder-named-like-a-data-file",
        Tree(lambda data: (data / "positions" / "x.yaml").mkdir()),
        [("data/positions/x.yaml", 0, "-", "-", "a folder named like a data file: rename it")],
    ),
    (
        "fifo-named-like-a-data-file",
        Tree(lambda data: os.mkfifo(data / "positions" / "x.yaml")),
        [
            (
                "data/positions/x.yaml",
                0,
                "-",
                "-",
                "not a regular file (a FIFO, socket or device): data files are plain files",
            )
        ],
    ),
    (
        "upper-case-ending",
        Tree(lambda data: (data / "positions" / "bad.yaml").rename(data / "positions" / "bad.YAML")),
        [("data/positions/bad.YAML", 0, "-", "-", "data files end in lower-case .yaml or .yml: rename it")],
    ),
]

# Bytes: every control character at its line and column; text that shows nothing
CASES += [
    (
        "nul-byte",
        replace("title: A page", "title: A\x00page"),
        [(BAD, 4, "-", "-", "control character U+0000 at column 13 is not allowed")],
    ),
    (
        "escape-and-bell-bytes",
        lambda text: text.replace("title: A page", "title: A\x1b[31mpage").replace("Example", "Exa\x07mple"),
        [
            (BAD, 4, "-", "-", "control character U+001B at column 13 is not allowed"),
            (BAD, 5, "-", "-", "control character U+0007 at column 19 is not allowed"),
        ],
    ),
    (
        "c1-control-and-bidi-override",
        lambda text: text.replace("title: A page", "title: A\x85page").replace("Example", "Exa\u202emple"),
        [
            (BAD, 4, "-", "-", "control character U+0085 at column 13 is not allowed"),
            (BAD, 5, "-", "-", "control character U+202E at column 19 is not allowed"),
        ],
    ),
    (
        "nul-through-a-yaml-escape",
        replace("title: A page", 'title: "A\\0page"'),
        [(BAD, 4, "bad-src", "title", "control character U+0000 is not allowed in text")],
    ),
    (
        "escape-through-a-yaml-escape",
        replace("summary: A summary.", 'summary: "A \\e[2Jsummary."'),
        [(BAD, 21, "bad-1", "summary", "control character U+001B is not allowed in text")],
    ),
    (
        "only-zero-width-characters",
        replace("title: A page", 'title: "\\u200b\\u200d\\u2060"'),
        [(BAD, 4, "bad-src", "title", "text shows nothing: it is only spaces or invisible characters")],
    ),
    (
        "zero-width-inside-text-is-kept",
        replace("title: A page", "title: A\u200bpage"),
        [],
    ),
    (
        "utf-16-file",
        lambda text: text.encode("utf-16"),
        [(BAD, 1, "-", "-", "file is UTF-16: save it as UTF-8")],
    ),
]

# YAML features the data files refuse, each at its line
CASES += [
    (
        "list-as-a-key",
        replace("    title: A page\n", "    [title, x]: A page\n"),
        [(BAD, 4, "-", "-", "a list or mapping cannot be a key")],
    ),
    (
        "mapping-as-a-key",
        replace("    title: A page\n", "    ? {title: x}\n    : A page\n"),
        [(BAD, 4, "-", "-", "a list or mapping cannot be a key")],
    ),
    (
        "merge-key-repeating-a-key",
        replace("    title: A page\n", "    <<: {title: Another page}\n    title: A page\n"),
        [(BAD, 4, "-", "-", "merge keys (<<) are not allowed: write each key out")],
    ),
    (
        "binary-tag",
        replace("title: A page", "title: !!binary QSBwYWdl"),
        [(BAD, 4, "-", "-", "tags such as '!!binary' are not allowed")],
    ),
    (
        "str-tag",
        replace("title: A page", "title: !!str A page"),
        [(BAD, 4, "-", "-", "tags such as '!!str' are not allowed")],
    ),
    (
        "local-tag",
        replace("title: A page", "title: !mine A page"),
        [(BAD, 4, "-", "-", "tags such as '!mine' are not allowed")],
    ),
    (
        "anchor-without-alias",
        replace("title: A page", "title: &t A page"),
        [(BAD, 4, "-", "-", "anchors and aliases (& and *) are not allowed in data files")],
    ),
    (
        "tag-directive",
        lambda text: "%TAG !e! tag:example.com,2000:\n---\n" + text,
        [(BAD, 1, "-", "-", "YAML directives (%YAML, %TAG) are not allowed")],
    ),
    (
        "yaml-directive",
        lambda text: "%YAML 1.1\n---\n" + text,
        [(BAD, 1, "-", "-", "YAML directives (%YAML, %TAG) are not allowed")],
    ),
]

# Release history: every broken snapshot is a report at its line, never a traceback
CASES += [
    ("snapshot-untouched-is-valid", released(), []),
    (
        "snapshot-conflict-marker",
        edit_snapshot(lambda text: text.replace("\n", "\n<<<<<<< HEAD\n", 1)),
        [(SNAPSHOT, 2, "-", "-", "merge conflict marker: resolve the conflict (snapshots are never edited)")],
    ),
    (
        "snapshot-emptied",
        edit_snapshot(lambda text: ""),
        [(SNAPSHOT, 1, "-", "-", "empty snapshot: a release's snapshot is never emptied")],
    ),
    (
        "snapshot-truncated-line",
        edit_snapshot(lambda text: "\n".join(line[:30] if i == 2 else line for i, line in enumerate(text.split("\n")))),
        [(SNAPSHOT, 3, "-", "-", "not a JSON line (Expecting value)")],
    ),
    (
        "snapshot-line-deleted",
        edit_snapshot(lambda text: "\n".join(line for i, line in enumerate(text.split("\n")) if i != 2)),
        [
            (
                SNAPSHOT,
                1,
                "-",
                "-",
                "the records differ from the header's sha256: the snapshot was edited or cut short",
            )
        ],
    ),
    (
        "snapshot-impossible-date",
        edit_snapshot(lambda text: text.replace('"date": "2025-01-01"', '"date": "2025-13-45"', 1)),
        [(SNAPSHOT, 1, "-", "-", "header date '2025-13-45' is not a date (YYYY-MM-DD)")],
    ),
    (
        "snapshot-version-not-its-name",
        released(lambda path, data: path.rename(path.with_name("1.0.1.jsonl"))),
        [("data/releases/1.0.1.jsonl", 1, "-", "-", "header version '1.0.0' is not the file's name, '1.0.1'")],
    ),
    (
        "snapshot-folder-named-like-one",
        released(lambda path, data: (data / "releases" / "9.9.9.jsonl").mkdir()),
        [("data/releases/9.9.9.jsonl", 0, "-", "-", "not a regular file: a snapshot is a plain file")],
    ),
    (
        "snapshot-copied-under-another-name",
        released(lambda path, data: path.with_name("1.0.0 copy.jsonl").write_text(path.read_text())),
        [
            (
                "data/releases/1.0.0 copy.jsonl",
                1,
                "-",
                "-",
                "header version '1.0.0' is not the file's name, '1.0.0 copy'",
            )
        ],
    ),
    (
        "snapshot-deleted-but-in-the-changelog",
        released(
            lambda path, data: (data.parent / "CHANGELOG.md").write_text(
                "# Changelog\n\n## 1.0.0 — 2025-01-01\n\n## 0.9.0 — 2024-12-01\n"
            )
        ),
        [
            (
                "CHANGELOG.md",
                5,
                "0.9.0",
                "-",
                "release 0.9.0 has no snapshot in data/releases/: a snapshot is never deleted",
            )
        ],
    ),
]


def move_and_link(folder, elsewhere):
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere)


def retire_bad(*tombstones):
    """Release the tree, then take bad.yaml's records out of the data with these tombstones."""
    lines = ["retirements:"] + [
        f"  - {{id: {rid}, table: {table}, retired_in: '{version}', reason: Withdrawn.}}"
        for rid, table, version in tombstones
    ]
    return released(lambda path, data: (data / "positions" / "bad.yaml").write_text("\n".join(lines) + "\n"))


CASES += [
    (
        "tombstones-retire-released-records",
        retire_bad(("bad-1", "positions", "1.1.0"), ("bad-src", "sources", "1.1.0")),
        [],
    ),
    (
        "same-tombstone-twice",
        retire_bad(("bad-1", "positions", "1.1.0"), ("bad-src", "sources", "1.1.0"), ("bad-1", "positions", "1.1.0")),
        [(BAD, 4, "bad-1", "id", "duplicate id (first used at data/positions/bad.yaml:2)")],
    ),
    (
        "retired-in-the-release-that-has-it",
        retire_bad(("bad-1", "positions", "1.0.0"), ("bad-src", "sources", "1.1.0")),
        [
            (
                BAD,
                2,
                "bad-1",
                "retired_in",
                "retired in 1.0.0, but release 1.0.0 still has it: retire it in a later version",
            )
        ],
    ),
    (
        "released-record-gone-without-a-tombstone",
        retire_bad(("bad-src", "sources", "1.1.0")),
        [
            (
                SNAPSHOT,
                25,
                "bad-1",
                "id",
                "released in 1.0.0 (positions) but missing from the data: restore it, or retire it with a tombstone "
                "under `retirements:`",
            )
        ],
    ),
]

# Cascades: a file that cannot be read gives its own report, not the reports that follow from it
CASES += [
    (
        "syntax-error-in-another-file-gives-one-report",
        released(lambda path, data: (data / "actors.yaml").write_text("actors:\n  - {id: AAA, name: [Alphaland\n")),
        [
            (
                "data/actors.yaml",
                3,
                "-",
                "-",
                "YAML syntax: while parsing a flow sequence did not find expected ',' or ']'",
            )
        ],
    ),
    (
        "folder-of-data-files-replaced-by-a-link",
        released(lambda path, data: move_and_link(data / "positions", data.parent / "elsewhere")),
        [
            (
                "data/positions",
                0,
                "-",
                "-",
                "symbolic link: data files and folders must be inside the data folder, not links",
            )
        ],
    ),
]

# Numbers Python will not convert, at their line
CASES += [
    (
        "number-of-five-thousand-digits",
        whole("weapon_systems:\n  - id: w\n    name: W\n    category: other\n    max_range_km: 1" + "0" * 5000 + "\n"),
        [(BAD, 5, "-", "-", "a number of more than 4,300 digits")],
    ),
]
