"""Bad-input cases for values (issue 14, classes 4 and 5): dates, numbers and URLs.

Same format as cases.py: (name, edit of BASE, every report validate must give). A case with no
reports is a boundary that must be accepted (the first day of the date window, a range at its bound,
an internationalised domain in its xn-- form, a different port or host that is another page).
"""

from .cases import BAD, replace, whole

#: The page of a fixture source (data/positions/aaa.yaml), for spellings of the same page.
PAGE = "https://example.org/aaa/2022-06-01"
FIRST = "example-2022-06-01-aaa"
SAME_PAGE = f"URL is the page of source {FIRST} ({PAGE}) written another way: one source per page"
DATE_FORM = "a date is written YYYY-MM-DD (e.g. 2024-06-01)"
NOT_A_NUMBER = f"{DATE_FORM}, not a number"
OUTSIDE = "is outside the plausible window 1991-08-24 to 2099-12-31"
PORT = "URL port must be a number from 1 to 65535"
NOT_IP = "URL host must be a domain name, not an IP address"
NOT_PUBLIC = "URL host must be a public domain name (not localhost, a local or reserved name, or a single label)"
NOT_LDH = (
    "URL host must be a domain name of ASCII letters, digits and hyphens (an internationalised name in its xn-- form)"
)
INVISIBLE = "URL may not contain spaces, control characters or invisible characters"
USERINFO = "URL may not contain a user name or password (user@host): give the site's own address"


def both(first, second):
    """Two edits, one after the other."""
    return lambda text: second(first(text))


def url(new):
    """The source's URL replaced (a YAML scalar, quoted by the caller where needed)."""
    return replace("url: https://example.org/bad", f"url: {new}")


def weapon(value):
    """A data file holding one weapon system with the given max_range_km (as YAML text)."""
    return whole(f"weapon_systems:\n  - {{id: odd, name: Odd, category: other, max_range_km: {value}}}\n")


def confirmation(date):
    """The position restated on `date` (a YAML scalar), citing its own source."""
    return replace(
        "    sources:\n",
        f"    confirmations:\n      - {{date: {date}, source: bad-src, excerpt: Said again.}}\n    sources:\n",
    )


CASES_VALUES = [
    # Dates: written YYYY-MM-DD as text, never a number; within the window 1991-08-24 to 2099-12-31.
    ("date-zero", replace("valid_from: 2024-06-01", "valid_from: 0"), [(BAD, 18, "bad-1", "valid_from", NOT_A_NUMBER)]),
    (
        "date-unix-timestamp",
        replace("valid_from: 2024-06-01", "valid_from: 1732060800"),
        [(BAD, 18, "bad-1", "valid_from", NOT_A_NUMBER)],
    ),
    (
        "date-quoted-timestamp",
        replace("valid_from: 2024-06-01", "valid_from: '1732060800'"),
        [(BAD, 18, "bad-1", "valid_from", NOT_A_NUMBER)],
    ),
    (
        "date-digits-without-dashes",
        replace("published: 2024-06-01", "published: '20240601'"),
        [(BAD, 6, "bad-src", "published", NOT_A_NUMBER)],
    ),
    (
        "date-float",
        replace("published: 2024-06-01", "published: 2024.06"),
        [(BAD, 6, "bad-src", "published", NOT_A_NUMBER)],
    ),
    (
        "date-boolean",
        replace("accessed: 2024-06-02", "accessed: true"),
        [(BAD, 9, "bad-src", "accessed", f"{DATE_FORM}, not true/false")],
    ),
    (
        "date-list",
        replace("valid_from: 2024-06-01", "valid_from: [2024-06-01]"),
        [(BAD, 18, "bad-1", "valid_from", f"{DATE_FORM}, not a list")],
    ),
    (
        "date-with-time",
        replace("valid_from: 2024-06-01", "valid_from: 2024-06-01T00:00:00"),
        [(BAD, 18, "bad-1", "valid_from", f"{DATE_FORM}, with no time or other form")],
    ),
    (
        "date-with-time-and-zone",
        replace("accessed: 2024-06-02", "accessed: 2024-06-02 00:00:00Z"),
        [(BAD, 9, "bad-src", "accessed", f"{DATE_FORM}, with no time or other form")],
    ),
    (
        "date-year-1900",
        replace("valid_from: 2024-06-01", "valid_from: 1900-06-01"),
        [(BAD, 18, "bad-1", "valid_from", f"date 1900-06-01 {OUTSIDE}")],
    ),
    (
        "date-day-before-window",
        replace("valid_from: 2024-06-01", "valid_from: 1991-08-23"),
        [(BAD, 18, "bad-1", "valid_from", f"date 1991-08-23 {OUTSIDE}")],
    ),
    (
        "date-first-day-of-window",
        # another actor: Alphaland's later general rule would have to cover a HIMARS rule this old
        both(
            replace("actor_id: AAA\n", "actor_id: BBB\n"), replace("valid_from: 2024-06-01", "valid_from: 1991-08-24")
        ),
        [],
    ),
    (
        "date-year-one-valid-from",
        replace("valid_from: 2024-06-01", "valid_from: 0001-01-01"),
        [(BAD, 18, "bad-1", "valid_from", f"date 0001-01-01 {OUTSIDE}")],
    ),
    (
        "date-year-one-published",
        replace("published: 2024-06-01", "published: 0001-01-01"),
        [(BAD, 6, "bad-src", "published", f"date 0001-01-01 {OUTSIDE}")],
    ),
    (
        "date-year-9999-month-precision",
        replace("published: 2024-06-01", "published: 9999-12-01\n    published_precision: month"),
        [(BAD, 6, "bad-src", "published", f"date 9999-12-01 {OUTSIDE}")],
    ),
    (
        "date-year-9999-valid-from-month",
        replace("valid_from: 2024-06-01\n    date_precision: day", "valid_from: 9999-12-01\n    date_precision: month"),
        [(BAD, 18, "bad-1", "valid_from", f"date 9999-12-01 {OUTSIDE}")],
    ),
    ("confirmation-date-zero", confirmation("0"), [(BAD, 23, "bad-1", "confirmations[0].date", NOT_A_NUMBER)]),
    (
        "confirmation-date-year-one",
        confirmation("0001-01-01"),
        [(BAD, 23, "bad-1", "confirmations[0].date", f"date 0001-01-01 {OUTSIDE}")],
    ),
    # Numbers: a finite number of kilometres above 0 and at most 20,000; never true/false or text.
    ("range-infinite", weapon(".inf"), [(BAD, 2, "odd", "max_range_km", "Input should be a finite number")]),
    ("range-minus-infinite", weapon("-.inf"), [(BAD, 2, "odd", "max_range_km", "Input should be a finite number")]),
    ("range-nan", weapon(".nan"), [(BAD, 2, "odd", "max_range_km", "Input should be a finite number")]),
    ("range-boolean", weapon("true"), [(BAD, 2, "odd", "max_range_km", "Input should be a valid number")]),
    ("range-quoted-number", weapon("'300'"), [(BAD, 2, "odd", "max_range_km", "Input should be a valid number")]),
    ("range-exponent-as-text", weapon("1e308"), [(BAD, 2, "odd", "max_range_km", "Input should be a valid number")]),
    (
        "range-absurd-float",
        weapon("1.0e+308"),
        [(BAD, 2, "odd", "max_range_km", "Input should be less than or equal to 20000")],
    ),
    (
        "range-beyond-the-antipode",
        weapon("20000.5"),
        [(BAD, 2, "odd", "max_range_km", "Input should be less than or equal to 20000")],
    ),
    ("range-zero", weapon("0"), [(BAD, 2, "odd", "max_range_km", "Input should be greater than 0")]),
    ("range-at-the-bound", weapon("20000"), []),
    # URLs: a public domain name in ASCII, a valid port, no user name, no spaces, controls or backslashes.
    ("url-port-out-of-range", url("https://example.org:99999/bad"), [(BAD, 3, "bad-src", "url", PORT)]),
    ("url-port-zero", url("https://example.org:0/bad"), [(BAD, 3, "bad-src", "url", PORT)]),
    ("url-port-not-a-number", url("https://example.org:https/bad"), [(BAD, 3, "bad-src", "url", PORT)]),
    ("url-port-empty", url("https://example.org:/bad"), [(BAD, 3, "bad-src", "url", PORT)]),
    ("url-userinfo", url("https://gov.au@evil.example.com/"), [(BAD, 3, "bad-src", "url", USERINFO)]),
    ("url-userinfo-password", url("https://user:pass@example.org/bad"), [(BAD, 3, "bad-src", "url", USERINFO)]),
    (
        "url-backslash-host-trick",
        url("https://evil.example.com\\@gov.au/"),
        [(BAD, 3, "bad-src", "url", "URL may not contain a backslash")],
    ),
    (
        "url-backslash-path",
        url("https://example.org\\\\evil.example.com/"),
        [(BAD, 3, "bad-src", "url", "URL may not contain a backslash")],
    ),
    ("url-control-character", url('"https://example.org/a\\ab"'), [(BAD, 3, "bad-src", "url", INVISIBLE)]),
    ("url-tab", url('"https://example.org/a\\tb"'), [(BAD, 3, "bad-src", "url", INVISIBLE)]),
    ("url-space", url("https://example.org/a b"), [(BAD, 3, "bad-src", "url", INVISIBLE)]),
    ("url-zero-width-space", url('"https://exam\\u200bple.org/bad"'), [(BAD, 3, "bad-src", "url", INVISIBLE)]),
    ("url-bidi-override", url('"https://example.org/\\u202egpj.exe"'), [(BAD, 3, "bad-src", "url", INVISIBLE)]),
    (
        "url-too-long",
        url("https://example.org/" + "a" * 1981),
        [(BAD, 3, "bad-src", "url", "URL is over 2,000 characters")],
    ),
    ("url-localhost", url("http://localhost/bad"), [(BAD, 3, "bad-src", "url", NOT_PUBLIC)]),
    ("url-localhost-subdomain", url("http://gov.localhost/bad"), [(BAD, 3, "bad-src", "url", NOT_PUBLIC)]),
    ("url-single-label-host", url("https://intranet/bad"), [(BAD, 3, "bad-src", "url", NOT_PUBLIC)]),
    ("url-reserved-test-domain", url("https://news.test/bad"), [(BAD, 3, "bad-src", "url", NOT_PUBLIC)]),
    ("url-ipv4-loopback", url("http://127.0.0.1/bad"), [(BAD, 3, "bad-src", "url", NOT_IP)]),
    ("url-ipv4-private", url("http://10.0.0.1:8080/bad"), [(BAD, 3, "bad-src", "url", NOT_IP)]),
    ("url-ipv4-as-one-number", url("http://2130706433/bad"), [(BAD, 3, "bad-src", "url", NOT_IP)]),
    (
        "url-ipv4-hex-form",
        url("http://0x7f.0.0.1/bad"),
        [
            (
                BAD,
                3,
                "bad-src",
                "url",
                "URL host must end in a top-level domain of letters (a number there makes it an IP address)",
            )
        ],
    ),
    ("url-ipv6-loopback", url("'http://[::1]/bad'"), [(BAD, 3, "bad-src", "url", NOT_IP)]),
    (
        "url-ipv6-unclosed-bracket",
        url("'http://[::1/bad'"),
        [(BAD, 3, "bad-src", "url", "URL cannot be read: check the brackets of its host")],
    ),
    ("url-cyrillic-homograph-host", url("https://\u0430pple.com/bad"), [(BAD, 3, "bad-src", "url", NOT_LDH)]),
    ("url-unicode-host", url("https://m\u00fcnchen.de/bad"), [(BAD, 3, "bad-src", "url", NOT_LDH)]),
    (
        "url-punycode-mixed-scripts",
        url("https://xn--pple-43d.com/bad"),
        [
            (
                BAD,
                3,
                "bad-src",
                "url",
                "URL host label xn--pple-43d mixes Latin letters with look-alike letters of another script",
            )
        ],
    ),
    ("url-punycode-accepted", url("https://xn--mnchen-3ya.de/bad"), []),
    ("url-non-ascii-path-accepted", url("https://example.org/orb\u00e1n"), []),
    ("url-underscore-host", url("https://bad_host.example.org/bad"), [(BAD, 3, "bad-src", "url", NOT_LDH)]),
    ("url-trailing-dot-host", url("https://example.org./bad"), [(BAD, 3, "bad-src", "url", NOT_LDH)]),
    (
        "archive-url-userinfo",
        replace(
            "accessed: 2024-06-02", "accessed: 2024-06-02\n    archive_url: https://web.archive.org@evil.example.com/"
        ),
        [(BAD, 10, "bad-src", "archive_url", USERINFO)],
    ),
    # The same page under two spellings is one page: reported, naming both sources; never rewritten.
    ("url-same-page-host-case", url("https://EXAMPLE.org/aaa/2022-06-01"), [(BAD, 3, "bad-src", "url", SAME_PAGE)]),
    ("url-same-page-scheme-case", url("HTTPS://example.org/aaa/2022-06-01"), [(BAD, 3, "bad-src", "url", SAME_PAGE)]),
    ("url-same-page-http", url("http://example.org/aaa/2022-06-01"), [(BAD, 3, "bad-src", "url", SAME_PAGE)]),
    (
        "url-same-page-default-port",
        url("https://example.org:443/aaa/2022-06-01"),
        [(BAD, 3, "bad-src", "url", SAME_PAGE)],
    ),
    (
        "url-same-page-trailing-slash",
        url("https://example.org/aaa/2022-06-01/"),
        [(BAD, 3, "bad-src", "url", SAME_PAGE)],
    ),
    ("url-same-page-fragment", url("https://example.org/aaa/2022-06-01#top"), [(BAD, 3, "bad-src", "url", SAME_PAGE)]),
    (
        "url-same-page-percent-encoded",
        url("https://example.org/aaa/2022%2D06%2D01"),
        [(BAD, 3, "bad-src", "url", SAME_PAGE)],
    ),
    ("url-other-port-is-another-page", url("https://example.org:8443/aaa/2022-06-01"), []),
    ("url-www-is-another-host", url("https://www.example.org/aaa/2022-06-01"), []),
    ("url-query-is-another-page", url("https://example.org/aaa/2022-06-01?page=2"), []),
]
