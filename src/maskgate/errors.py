"""Every error maskgate reports on purpose, with the HTTP status the proxy answers with and the exit
status the CLI ends with: this table is the one place that maps them.

A message is written for the person who sees it (a client's error body or the terminal), never holds
a raw value, and reads after "maskgate: ". Anything that is not a `MaskgateError` is a bug: the masking
path turns it into `MaskingFailed` (fail closed) rather than let it through.
"""

from __future__ import annotations


class MaskgateError(Exception):
    """Base of maskgate's errors. `http_status`: the proxy's answer; `exit_code`: the CLI's."""

    http_status = 500
    exit_code = 1


class ConfigError(MaskgateError, ValueError):
    """The configuration file or a setting is invalid."""

    exit_code = 2


class BadRequest(MaskgateError, ValueError):
    """The input cannot be masked as it is (not JSON, a shape no rule expects, ...)."""

    http_status = 400
    exit_code = 2


class UnsupportedMedia(BadRequest):
    """A body maskgate cannot read: compressed, or not JSON."""

    http_status = 415


class TooLarge(BadRequest):
    """A request body over `body_limit`."""

    http_status = 413


class NotFound(BadRequest):
    """No provider serves this path."""

    http_status = 404


class DetectionError(MaskgateError, RuntimeError):
    """A layer could not analyse the text. Callers must fail closed on it."""

    http_status = 503
    exit_code = 3


class StoreError(MaskgateError, RuntimeError):
    """The store cannot be opened or used."""

    http_status = 503
    exit_code = 3


class MaskingFailed(MaskgateError, RuntimeError):
    """Masking failed for a reason no other error names (a bug): nothing was sent anywhere."""

    http_status = 503
    exit_code = 3


class UpstreamError(MaskgateError):
    """The upstream API could not be reached or broke off."""

    http_status = 502
    exit_code = 3
