"""The public surface: exports, docstrings, signatures, typing."""

from __future__ import annotations

import inspect
from pathlib import Path

import pivotal_core as pc

PACKAGE = Path(pc.__file__).parent


def public_members(obj: object) -> list[tuple[str, object]]:
    return [(n, getattr(obj, n)) for n in dir(obj) if not n.startswith("_")]


def test_everything_exported_exists() -> None:
    for name in pc.__all__:
        assert hasattr(pc, name), name
    assert isinstance(pc.__version__, str) and pc.__version__ == pc.open_in_memory().health().version


def test_every_public_class_function_and_method_has_a_docstring() -> None:
    missing = []
    for name in pc.__all__:
        obj = getattr(pc, name)
        if inspect.ismodule(obj) or isinstance(obj, str):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException) and not hasattr(obj, "__members__"):
            for member, value in public_members(obj):
                if not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_exceptions_and_enums_are_documented() -> None:
    for cls in (pc.PivotalError, pc.InvalidRequestError, pc.StoreClosedError, pc.Phase, pc.EventType):
        assert (cls.__doc__ or "").strip()
        for member in ("to_dict",) if issubclass(cls, BaseException) else ():
            assert (getattr(cls, member).__doc__ or "").strip()


def test_the_package_is_typed() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_native.pyi").exists()


def test_signatures_are_introspectable() -> None:
    sig = inspect.signature(pc.Customers.update)
    assert list(sig.parameters)[:3] == ["self", "ref", "params"]
    assert inspect.signature(pc.open).parameters["actor"].default == "local"
    assert inspect.signature(pc.Onboardings.list).parameters["limit"].kind is inspect.Parameter.KEYWORD_ONLY
