"""Datasette plugin: the `:_site_url` parameter, the site's absolute address, for stored queries.

Feed readers need absolute links, and SQL cannot know where the site is served. The address
is the request's own (scheme, host, Datasette's base_url), ending in a slash.
"""

from datasette import hookimpl


@hookimpl
def register_magic_parameters(datasette):
    def site(key, request):
        if key != "url":
            raise KeyError(key)
        return datasette.absolute_url(request, datasette.urls.path("/"))

    return [("site", site)]
