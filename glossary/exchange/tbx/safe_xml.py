"""Parsing TBX bytes safely, remembering the line each element starts on.

defusedxml refuses entity declarations and external entities (a plain
DOCTYPE without them is harmless and accepted).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from glossary.edit.changes import ExchangeInvalid
from glossary.errors import Problem

__all__ = ["parse_tbx"]


class _LineTarget:
    """A TreeBuilder that remembers the line each element starts on.

    ElementTree keeps no positions; problems in a TBX file are only useful
    with a line number, so the parser's current line is recorded per element.
    """

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = int(self.parser.parser.CurrentLineNumber)
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def parse_tbx(data: bytes, name: str) -> tuple[ET.Element, dict[int, int]]:
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.parser = parser

    def fail(message: str, hint: str = "") -> ExchangeInvalid:
        try:
            line: int | None = int(parser.parser.CurrentLineNumber)
        except AttributeError:
            line = None
        return ExchangeInvalid([Problem(name, line, message, hint)])

    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden as error:
        raise fail(
            f"DOCTYPE with entity declarations is not allowed (entity {error.name!r})",
            "remove the <!DOCTYPE ...[...]> block; TBX needs no entities",
        ) from None
    except ExternalReferenceForbidden as error:
        raise fail(
            f"external entity reference is not allowed ({error.sysid or error.pubid!r})",
            "remove the reference; nothing outside the file is read",
        ) from None
    except DTDForbidden:
        raise fail("DOCTYPE is not allowed") from None
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        message = str(error).split(":")[0]
        raise ExchangeInvalid(
            [Problem(name, line, f"not well-formed XML: {message} (column {column})", "check the file is a complete TBX document")]
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise fail(f"cannot parse the XML: {error}") from None
    return root, target.lines
