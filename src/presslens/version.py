"""The package version, in a module of its own so any module can read it without importing
the package front door (`presslens/__init__.py` imports most of the library)."""

__version__ = "0.1.0"
