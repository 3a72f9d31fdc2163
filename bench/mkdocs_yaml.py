"""Read and write mkdocs.yml in the benchmark scripts, keeping MkDocs' own YAML tags.

mkdocs.yml uses tags that yaml.safe_load refuses (``pdf: !ENV [CURRICULUM_PDF, true]`` on the
curriculum plugin; MkDocs also knows ``!relative``). A benchmark that edits a copy of the config
must keep them as they are, so the copy still behaves like the original (``CURRICULUM_PDF=0`` still
turns the PDFs off). ``load`` reads every unknown tag as a ``Tagged`` value and ``dump`` writes it
back with its tag; nothing is resolved.

    config = load(ROOT / "mkdocs.yml")
    config["plugins"].append("print-site")
    (copy / "mkdocs.yml").write_text(dump(config))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Tagged:
    """A YAML value with a tag this script does not resolve, e.g. ``!ENV [CURRICULUM_PDF, true]``."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"cannot read {node.tag}", node.start_mark)
    return Tagged(node.tag, value)


def _represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct)
_Dumper.add_representer(Tagged, _represent)


def loads(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # a SafeLoader that also keeps unknown tags


def load(path: Path) -> Any:
    return loads(Path(path).read_text())


def dump(config: Any) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def plugin_name(entry: Any) -> str:
    """The name of one entry of ``plugins:`` (a plain name or a one-key mapping)."""
    return entry if isinstance(entry, str) else next(iter(entry))


def plugin_options(config: dict, name: str) -> dict:
    """The options of plugin ``name`` in ``config`` (made a mapping entry, so they can be edited)."""
    plugins = config.setdefault("plugins", [])
    for i, entry in enumerate(plugins):
        if plugin_name(entry) == name:
            if isinstance(entry, str) or entry[name] is None:
                plugins[i] = {name: {}}
            return plugins[i][name]
    raise KeyError(f"mkdocs.yml has no plugin {name!r}")
