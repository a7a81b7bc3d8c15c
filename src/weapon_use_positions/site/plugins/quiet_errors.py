"""Datasette plugin: error pages without a rich traceback in the log.

When the `rich` package is installed (the test tools bring it in), Datasette prints every
exception behind an error page, a plain 404 included, as a rich traceback with the request's
local variables. That takes seconds per page, so a visitor asking for missing pages could tie
up the server, and it writes request data to the log. The error pages themselves are unchanged.
"""

import datasette.handle_exception

datasette.handle_exception.rich = None
