"""The demo city: a synthetic but realistic registry for 淄博 (or any prefecture), built from a
seed. `smeladder demo` is the entry point; docs/demo-city.md explains the calibration."""

from .write import BuildReport, build, delete_registry, registry_count

__all__ = ["BuildReport", "build", "delete_registry", "registry_count"]
