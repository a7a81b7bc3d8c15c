"""Datasette plugin: downloads are served with their own media types.

Datasette serves the build folder's files (`/downloads/...`) with the type Python's `mimetypes`
guesses, and it knows no Parquet: without this, Parquet files go out as text/plain.
"""

import mimetypes

#: Media types of the files the build writes, where Python does not know them.
DOWNLOAD_TYPES = {".parquet": "application/vnd.apache.parquet"}

for suffix, media_type in DOWNLOAD_TYPES.items():
    mimetypes.add_type(media_type, suffix)
