"""Argos' settings, read as Argos reads them: ARGOS_* variables first, then settings.json.

Argos reads them once at import time; here they are read on every call so a
changed environment (or a test) is honoured.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import SettingsError

DEVICES = ("auto", "cpu", "cuda")


def settings_file(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return config / "argos-translate" / "settings.json"


def _file_settings(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{path}: not readable as JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: settings.json must hold an object")
    return data


@dataclass(frozen=True)
class ArgosSettings:
    device: str = "cpu"
    compute_type: str = "auto"
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0
    batch_size: int = 32
    package_index: str | None = None
    packages_dir: str | None = None


def load_settings(environ: Mapping[str, str] | None = None) -> ArgosSettings:
    """The settings in force; a bad value is one clear SettingsError."""
    env = os.environ if environ is None else environ
    path = settings_file(env)
    from_file = _file_settings(path)

    def get(key: str) -> Any:
        if env.get(key) not in (None, ""):
            return env[key]
        return from_file.get(key)

    def number(key: str, default: int, low: int) -> int:
        value = get(key)
        if value is None:
            return default
        try:
            result = int(str(value).strip())
        except ValueError:
            raise SettingsError(f"{key} must be a whole number, not {str(value)[:40]!r}") from None
        if result < low:
            raise SettingsError(f"{key} must be at least {low}, not {result}")
        return result

    device = str(get("ARGOS_DEVICE_TYPE") or "cpu").strip().lower()
    if device not in DEVICES:
        raise SettingsError(f"ARGOS_DEVICE_TYPE must be one of {', '.join(DEVICES)}, not {device[:40]!r}")
    index = get("ARGOS_PACKAGE_INDEX")
    folder = get("ARGOS_PACKAGES_DIR")
    return ArgosSettings(
        device=device,
        compute_type=str(get("ARGOS_COMPUTE_TYPE") or "auto"),
        beam_size=number("ARGOS_BEAM_SIZE", 4, 1),
        inter_threads=number("ARGOS_INTER_THREADS", 1, 1),
        intra_threads=number("ARGOS_INTRA_THREADS", 0, 0),
        batch_size=number("ARGOS_BATCH_SIZE", 32, 1),
        package_index=str(index) if index else None,
        packages_dir=str(folder) if folder else None,
    )


def cuda_devices() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:
        return 0


def resolve_device(device: str) -> str:
    """auto -> cuda when CTranslate2 sees a GPU, else cpu; cuda without a GPU is an error."""
    if device not in DEVICES:
        raise SettingsError(f"device must be one of {', '.join(DEVICES)}, not {device!r}")
    if device == "auto":
        return "cuda" if cuda_devices() > 0 else "cpu"
    if device == "cuda" and cuda_devices() == 0:
        raise SettingsError("device cuda asked for, but CTranslate2 sees no CUDA GPU; use --device cpu or auto")
    return device
