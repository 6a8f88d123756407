"""Django's upload handlers, reading a multipart body a mebibyte at a time instead of 64 KiB.

Django's parser does a round of Python work per chunk (find the boundary, copy, hand the chunk to
the handler, write it). For a 100 MB upload that was 1,600 rounds and about 390 ms of one core,
holding the interpreter lock the health check's thread needed in the same worker; in 1 MiB
chunks it is about 100 ms (docs/performance.md, "Crafted uploads"). Memory stays bounded: a
chunk at a time, and files over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` still go to a temporary file.
"""

from __future__ import annotations

from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

# A multiple of 4, as Django's base64 decoding of a part requires.
CHUNK_BYTES = 1024 * 1024


class MemoryFileUploadHandler1M(MemoryFileUploadHandler):
    """Django's in-memory handler (files up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``), 1 MiB chunks."""

    chunk_size = CHUNK_BYTES


class TemporaryFileUploadHandler1M(TemporaryFileUploadHandler):
    """Django's temporary-file handler (larger files), 1 MiB chunks."""

    chunk_size = CHUNK_BYTES
