"""No traceback reaches a user: every error of a command ends as one line on stderr.

Errors partnernet raises for bad input (refused settings, unknown values, bad dates,
store errors, files that cannot be read or written) are printed as their message. Anything
else is a bug: it is printed in one line that says so, and ``PARTNERNET_DEBUG=1`` shows
the traceback. Secrets the settings know (the Neo4j password, the API tokens) and any
``user:password@`` are masked in every message.
"""

from __future__ import annotations

import logging
import os

import click

from partnernet.redact import redact_text

__all__ = ["SafeGroup"]


def _secrets(ctx: click.Context) -> list[str]:
    settings = getattr(ctx.obj, "settings", None)
    out = []
    for name in ("neo4j_password", "api_token", "api_read_token"):
        value = getattr(settings, name, None)
        if value is not None and value.get_secret_value():
            out.append(value.get_secret_value())
    return out


def _message(exc: BaseException) -> str:
    from partnernet.graph.analysis.matching import UnknownNode
    from partnernet.graph.schema import SchemaError
    from partnernet.graph.store import StoreError
    from partnernet.settings import SettingsError

    if isinstance(exc, OSError) and exc.strerror:
        target = exc.filename if exc.filename is not None else ""
        return f"cannot use {target}: {exc.strerror}" if target else exc.strerror
    if isinstance(exc, StoreError | SettingsError | SchemaError | UnknownNode | ValueError):
        return str(exc)
    return (f"internal error ({type(exc).__name__}: {exc}); this is a bug in partnernet, "
            "please report it (PARTNERNET_DEBUG=1 shows the traceback)")


class SafeGroup(click.Group):
    """The top-level group: runs the command and turns exceptions into one-line errors."""

    def invoke(self, ctx: click.Context):
        debug = os.environ.get("PARTNERNET_DEBUG", "") not in ("", "0")
        if not debug:
            # the Neo4j driver logs each retry and lost connection; the command's own
            # error says what failed
            logging.getLogger("neo4j").setLevel(logging.CRITICAL)
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if debug:
                raise
            message = " ".join(redact_text(_message(exc), _secrets(ctx)).split())
            raise click.ClickException(message) from None
