"""The one place where errors become messages and exit codes, for every termguard command.

Library code raises typed errors under ``TermguardError``; each class says
whether it is bad input (exit 2) or a failure (exit 1). Commands let them
go up; the command classes here print one ``Error:`` message and exit with
the class's code. Ctrl-C is one line and exit 130 (Click's own "Aborted!"
with exit 1 cannot be told from a failure by a script). Every write goes
through glossary.files, so unwinding the stack leaves no partial file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from glossary.errors import TermguardError

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE

T = TypeVar("T")


def run_mapped(call: Callable[[click.Context], T], ctx: click.Context) -> T:
    """Run a command, turning termguard's errors into one message and their exit code."""
    try:
        return call(ctx)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
    except TermguardError as exc:
        from glossary.matching.normalize import visible

        # Messages quote outside text (file contents, a package's metadata):
        # control and bidi characters are shown, never sent to the terminal.
        click.echo(f"Error: {visible(str(exc))}", err=True)
        raise click.exceptions.Exit(exc.exit_code) from None
    except BrokenPipeError:
        # The reader went away (`termguard ... | head`): nothing more to say to it.
        import os
        import sys

        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
    except ValueError as exc:
        # A NUL in a path argument: the OS calls (click's own path checks among them)
        # raise ValueError, not OSError. Any other ValueError is a bug and stays loud.
        if "null byte" not in str(exc):
            raise
        click.echo("Error: a file name cannot hold a NUL character", err=True)
        raise click.exceptions.Exit(2) from None
    except OSError as exc:
        # A file problem the library did not foresee is still one line, not a traceback.
        from glossary.files.names import display_name

        where = f"{display_name(exc.filename)}: " if exc.filename else ""
        click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
        raise click.exceptions.Exit(1) from None


def bad_value(error: TermguardError, param_hint: str) -> click.BadParameter:
    """A library error about one option's value, shown the way Click shows a bad value (exit 2)."""
    return click.BadParameter(str(error), param_hint=param_hint)


@contextlib.contextmanager
def value_of(param_hint: str, *kinds: type[TermguardError]) -> Iterator[None]:
    """Report library errors of `kinds` raised inside as a bad value of `param_hint`."""
    try:
        yield
    except kinds as error:
        raise bad_value(error, param_hint) from None


class Command(click.Command):
    """A command whose errors are mapped by ``run_mapped``."""

    def invoke(self, ctx: click.Context) -> Any:
        return run_mapped(super().invoke, ctx)


class Group(click.Group):
    """A group whose commands (and sub-groups) map their errors by ``run_mapped``."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        return run_mapped(super().invoke, ctx)


Group.group_class = Group
