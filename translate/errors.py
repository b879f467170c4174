"""Typed errors of the pipeline; only the CLI turns them into exit codes."""

from __future__ import annotations


class TermguardError(Exception):
    """Base of every error the pipeline raises on purpose."""


class ModelError(TermguardError):
    """A package is missing, broken or cannot be loaded."""


class PackageFileError(ModelError):
    """A .argosmodel file is not a valid, safe Argos package."""


class IndexUnreachable(ModelError):
    """The Argos package index (or a download link) could not be fetched."""


class MissingModel(ModelError):
    """No installed package translates the requested pair."""


class InputError(TermguardError):
    """An input document cannot be read as UTF-8 text."""


class SettingsError(TermguardError):
    """An ARGOS_* setting or settings.json value is unusable (bad input)."""


class PackageMismatch(PackageFileError):
    """A package is not what it claims or what was asked for (bad input)."""


class IndexFormatError(IndexUnreachable):
    """The package index was fetched but is not a valid Argos index (failure)."""
