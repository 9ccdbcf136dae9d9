"""Each pytest-xdist worker rewrites the asserts of its share of the test modules, not of all of them.

pytest rewrites the ``assert`` statements of every test module and conftest when it imports it (parsing and
compiling it again: 13 of the 22 s of a collection on a quiet machine) and caches the result in ``__pycache__``.
Every worker collects the whole suite, and in a fresh clone (CI) they all start with an empty cache at the same
moment, so each of them rewrote every module. Before its collection, worker k of n now imports the test modules
starting at the k-th n-th of their sorted list and goes round: when it reaches the next worker's share, that worker
has rewritten and cached it, and the import reads the cache. The collection then finds every module imported.

Nothing changes without workers, with PYTHONDONTWRITEBYTECODE (nothing is cached: the Makefile unsets it), or when
the modules are cached already. A module that fails to import is left to the collection, which reports it.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import sys
from pathlib import Path


def share(config) -> None:
    """pytest_collection of a worker: import the collection's test modules in this worker's order."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 0)
    if count < 2 or not worker.startswith("gw") or sys.dont_write_bytecode:
        return
    paths = sorted(modules(config))
    start = len(paths) * int(worker[2:]) // count
    for path in paths[start:] + paths[:start]:
        try:
            importlib.import_module(module_name(path, config.rootpath))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001, S112 - the collection imports it again and reports the error
            continue


def modules(config) -> set[Path]:
    """The test modules and conftests below the collection's arguments (files, folders; ``::`` parts dropped)."""
    patterns = [*config.getini("python_files"), "conftest.py"]
    found: set[Path] = set()
    for arg in config.args:
        path = Path(arg.split("::", 1)[0])
        path = path if path.is_absolute() else config.invocation_params.dir / path
        if path.is_file() and path.suffix == ".py":
            found.add(path.resolve())
        elif path.is_dir():
            found.update(
                p.resolve() for p in path.rglob("*.py") if any(fnmatch.fnmatch(p.name, pat) for pat in patterns)
            )
    root = config.rootpath.resolve()
    return {path for path in found if path.is_relative_to(root) and packaged(path, root)}


def packaged(path: Path, root: Path) -> bool:
    """In a package up to the root (as pytest imports it: ``tests.measures.test_editor``)."""
    return all(
        (folder / "__init__.py").exists() for folder in path.parents if folder != root and folder.is_relative_to(root)
    )


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root.resolve()).with_suffix("").parts)
