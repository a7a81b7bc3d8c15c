"""Datasette plugin: every SQL statement is bounded in memory, and long statements give way to short ones.

Memory: a visitor's SQL could build huge values (`printf('%.*c', 50000000, 'x')`, `zeroblob()`,
`group_concat()` over a recursive CTE) or many large rows, and Datasette keeps a page of answers
in memory. SQLite refuses any value or stored row longer than MAX_VALUE_BYTES (printf gives NULL,
the rest "string or blob too big") and results wider than MAX_COLUMNS; an answer whose cells add
up to more than MAX_ANSWER_BYTES stops with a message. So one statement holds at most
MAX_ANSWER_BYTES + MAX_COLUMNS * MAX_VALUE_BYTES of cells (8 MiB). The largest real cell is
under 1 kB; the largest page the site asks for (position_details, every row) is about 0.4 MB.

Time: Datasette stops a statement after sql_time_limit_ms with a progress handler. This one does
the same and, in addition, makes a statement that has run longer than SHORT_SECONDS pause while
other statements run: twenty runaway recursive queries then use a few per cent of the CPU between
them, and a quick query started meanwhile runs at full speed (on 2 cores it waited 11.6 s before).
"""

import contextlib
import sqlite3
import threading
import time
import weakref

import datasette.database
from datasette import hookimpl

#: SQLITE_LIMIT_LENGTH: the longest string, blob or stored row SQLite makes or reads, in bytes.
MAX_VALUE_BYTES = 64 * 2**10
#: SQLITE_LIMIT_COLUMN: the most columns in a result (the widest view has 29).
MAX_COLUMNS = 64
#: The most bytes of text and blobs one statement's answer may hold.
MAX_ANSWER_BYTES = 4 * 2**20
#: A statement running longer than this is long: it pauses while others run.
SHORT_SECONDS = 0.05
#: How long a long statement pauses, each time SQLite checks in (every 1000 instructions, ~0.1 ms).
PAUSE_SECONDS = 0.005
#: SQLite instructions between two checks of the time limit (Datasette's value).
CHECK_EVERY = 1000

#: Bytes of cells fetched so far, per open cursor (one cursor per statement).
fetched: "weakref.WeakKeyDictionary[sqlite3.Cursor, int]" = weakref.WeakKeyDictionary()
#: How many statements are running now, in every SQL thread.
running = [0]
running_lock = threading.Lock()


class AnswerTooLarge(sqlite3.DataError):
    """The answer outgrew MAX_ANSWER_BYTES; Datasette shows this like any SQL error (400)."""


def bounded_row(cursor, values):
    """sqlite3.Row, after counting the row's bytes against the statement's budget."""
    size = fetched.get(cursor, 0) + sum(len(v) for v in values if isinstance(v, (str, bytes)))
    if size > MAX_ANSWER_BYTES:
        raise AnswerTooLarge(f"the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB: ask for fewer or shorter rows")
    fetched[cursor] = size
    return sqlite3.Row(cursor, values)


@contextlib.contextmanager
def time_limit(conn, ms):
    """Datasette's sqlite_timelimit (interrupt after `ms`), and long statements give way while others run."""
    start = time.perf_counter()
    deadline = start + ms / 1000

    def check():
        now = time.perf_counter()
        if now >= deadline:
            return 1  # SQLite stops the statement: "interrupted", as with Datasette's own handler
        if now - start > SHORT_SECONDS and running[0] > 1:
            time.sleep(PAUSE_SECONDS)
        return 0

    with running_lock:
        running[0] += 1
    conn.set_progress_handler(check, CHECK_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, CHECK_EVERY)
        with running_lock:
            running[0] -= 1


datasette.database.sqlite_timelimit = time_limit


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.row_factory = bounded_row
