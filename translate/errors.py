"""Typed errors of the pipeline; only the CLI turns them into exit codes.

The root, ``TermguardError``, is shared with the glossary library (it lives in
``glossary.errors`` because glossary may not import translate). Each class
says what it is through ``exit_code``: 2 bad input, 1 failure.
"""

from __future__ import annotations

from glossary.errors import BadInputError, FileInputError, FileWriteError, TermguardError

__all__ = [
    "BadInputError",
    "FileInputError",
    "FileWriteError",
    "IndexFormatError",
    "IndexUnreachable",
    "InputError",
    "MissingModel",
    "ModelError",
    "OutputCollision",
    "PackageFileError",
    "PackageMismatch",
    "SettingsError",
    "TermguardError",
]


class ModelError(TermguardError):
    """A package is missing, broken or cannot be loaded (failure)."""


class PackageFileError(ModelError, BadInputError):
    """A .argosmodel file is not a valid, safe Argos package (bad input)."""

    exit_code = 2


class IndexUnreachable(ModelError):
    """The Argos package index (or a download link) could not be fetched (failure)."""


class MissingModel(ModelError):
    """No installed package translates the requested pair (failure: install one)."""


class InputError(BadInputError):
    """An input document cannot be read as UTF-8 text, or the command's arguments do not fit (bad input)."""


class OutputCollision(InputError):
    """Two documents (or a document and an output) would be written to one file."""


class SettingsError(BadInputError):
    """An ARGOS_* setting or settings.json value is unusable (bad input)."""


class PackageMismatch(PackageFileError):
    """A package is not what it claims or what was asked for (bad input)."""


class IndexFormatError(IndexUnreachable):
    """The package index was fetched but is not a valid Argos index (failure)."""
