"""termguard's translation pipeline: Argos packages, segmentation, decoding, catalogs and the CLI."""

__version__ = "0.1.0"
