"""Datasette plugin: error pages without a traceback in the log, and SQL errors answered as 400.

When the `rich` package is installed (the test tools bring it in), Datasette prints every
exception behind an error page, a plain 404 included, as a rich traceback with the request's
local variables. That takes seconds per page, so a visitor asking for missing pages could tie
up the server, and it writes request data to the log. The error pages themselves are unchanged.

Some of Datasette's paths (a query's CSV) let an SQL error escape as a 500 with a traceback:
"string or blob too big" from a visitor's SQL is the visitor's error, not the server's. Such
errors get the same 400 page Datasette gives them elsewhere, and no traceback.
"""

import sqlite3
import sys
import traceback

import datasette.handle_exception
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.views.base import DatasetteError

#: Exceptions that are the request's fault: answered 400 with their message.
SQL_ERRORS = (sqlite3.Error, QueryInterrupted)

#: Datasette's own handler, which renders the error page for each format.
datasette_default = datasette.handle_exception.handle_exception

datasette.handle_exception.rich = None


class QuietTraceback:
    """Stands in for the traceback module in Datasette's handler: silent for SQL_ERRORS."""

    def print_exc(self, *args, **kwargs):
        if not isinstance(sys.exc_info()[1], SQL_ERRORS):
            traceback.print_exc(*args, **kwargs)


datasette.handle_exception.traceback = QuietTraceback()


@hookimpl
def handle_exception(datasette, request, exception):
    if not isinstance(exception, SQL_ERRORS):
        return None
    message = "the query took too long and was stopped" if isinstance(exception, QueryInterrupted) else str(exception)
    return datasette_default(datasette, request, DatasetteError(message, status=400))
