"""Argos packages as they really are: tokenisers, settings, index, downloads."""
