"""The installed version (a leaf: lower layers import it without the package root)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("partnernet")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
