#!/usr/bin/env python3
"""Generate Sources/Commands/Metadata/GeneratedCommandMetadata.swift.

Reads Valkey's command specifications (commands/*.json of the reference
directory), and Valkite's own in the same format (scripts/valkite-commands/*.json:
SQL, HISTORY), for the commands named in scripts/commands.txt and writes one
`CommandMetadata(...)` initializer call per command. The output depends only on
the JSON data and the list, never on the order of the list or of the files.

Usage: python3 scripts/gen-command-metadata.py [--reference ../shared/reference]
(a relative --reference is taken from the repository root).
"""

import argparse
import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
COMMAND_LIST = REPO / "scripts" / "commands.txt"
OUTPUT = REPO / "Sources" / "Commands" / "Metadata" / "GeneratedCommandMetadata.swift"
VALKITE_COMMANDS = REPO / "scripts" / "valkite-commands"

# Every JSON name below becomes the Swift member of the same name in lower
# camel case (NO_MANDATORY_KEYS -> .noMandatoryKeys). The sets mirror the Swift
# option sets, so a name the Swift side lacks stops the script instead of
# being dropped silently.
COMMAND_FLAGS = {
    "WRITE", "READONLY", "DENYOOM", "MODULE", "ADMIN", "PUBSUB", "NOSCRIPT",
    "BLOCKING", "LOADING", "STALE", "SKIP_MONITOR", "SKIP_SLOWLOG", "ASKING",
    "FAST", "NO_AUTH", "MAY_REPLICATE", "SENTINEL", "ONLY_SENTINEL",
    "NO_MANDATORY_KEYS", "PROTECTED", "MODULE_GETKEYS", "MODULE_NO_CLUSTER",
    "NO_ASYNC_LOADING", "NO_MULTI", "MOVABLE_KEYS", "ALLOW_BUSY",
    "MODULE_GETCHANNELS", "TOUCHES_ARBITRARY_KEYS",
}
ACL_CATEGORIES = {
    "KEYSPACE", "READ", "WRITE", "SET", "SORTEDSET", "LIST", "HASH", "STRING",
    "BITMAP", "HYPERLOGLOG", "GEO", "STREAM", "PUBSUB", "ADMIN", "FAST", "SLOW",
    "BLOCKING", "DANGEROUS", "CONNECTION", "TRANSACTION", "SCRIPTING",
}
KEY_SPEC_FLAGS = {
    "RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", "NOT_KEY",
    "INCOMPLETE", "VARIABLE_FLAGS",
}
DOC_FLAGS = {"DEPRECATED", "SYSCMD"}
ARGUMENT_TYPES = {
    "string", "integer", "double", "key", "pattern", "unix-time", "pure-token",
    "oneof", "block",
}
ARGUMENT_FLAGS = ("optional", "multiple", "multiple_token")

HEADER = """\
// GENERATED FILE - do not edit. Regenerate with:
//     python3 scripts/gen-command-metadata.py [--reference ../shared/reference]
// from Valkey's command specifications (commands/*.json) for the commands listed
// in scripts/commands.txt.
//
// The command data comes from Valkey (https://github.com/valkey-io/valkey,
// src/commands/*.json), Copyright (c) 2024-present, Valkey contributors,
// and Redis contributors before it; BSD-3-Clause license.
"""


class GeneratorError(Exception):
    pass


def camel_case(json_name):
    """NO_MANDATORY_KEYS / unix-time -> noMandatoryKeys / unixTime."""
    words = json_name.replace("-", "_").lower().split("_")
    return words[0] + "".join(word.capitalize() for word in words[1:])


def swift_string(text):
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def option_set(names, known, what):
    unknown = [name for name in names if name not in known]
    if unknown:
        raise GeneratorError(f"unknown {what}: {', '.join(unknown)}")
    return "[" + ", ".join("." + camel_case(name) for name in names) + "]"


def load_specs(reference):
    """Map full lower-case name ('get', 'client|list') to its JSON spec."""
    command_dir = reference / "commands"
    files = sorted(command_dir.glob("*.json"))
    if not files:
        raise GeneratorError(f"no command JSON files in {command_dir}")
    specs = {}
    for path in files + sorted(VALKITE_COMMANDS.glob("*.json")):
        for declared_name, spec in json.loads(path.read_text()).items():
            container = spec.get("container")
            full_name = f"{container}|{declared_name}" if container else declared_name
            specs[full_name.lower()] = spec
    return specs


def read_command_list():
    """Top-level names, each with the subcommands listed for it."""
    commands = {}
    for line in COMMAND_LIST.read_text().splitlines():
        name = line.strip().lower()
        if not name or name.startswith("#"):
            continue
        container, _, subcommand = name.partition("|")
        subcommands = commands.setdefault(container, set())
        if subcommand:
            subcommands.add(name)
    return commands


def key_spec_call(spec):
    begin = spec["begin_search"]
    if "index" in begin:
        begin_search = f".index({begin['index']['pos']})"
    elif "keyword" in begin:
        keyword = begin["keyword"]
        begin_search = (f".keyword({swift_string(keyword['keyword'])}, "
                        f"startFrom: {keyword['startfrom']})")
    else:
        begin_search = ".unknown"
    find = spec["find_keys"]
    if "range" in find:
        keys = find["range"]
        find_keys = (f".range(lastKey: {keys['lastkey']}, keyStep: {keys['step']}, "
                     f"limit: {keys['limit']})")
    elif "keynum" in find:
        keys = find["keynum"]
        find_keys = (f".keynum(keyNumIndex: {keys['keynumidx']}, "
                     f"firstKey: {keys['firstkey']}, keyStep: {keys['step']})")
    else:
        find_keys = ".unknown"
    parts = [f"flags: {option_set(spec['flags'], KEY_SPEC_FLAGS, 'key spec flag')}",
             f"beginSearch: {begin_search}", f"findKeys: {find_keys}"]
    if "notes" in spec:
        parts.append(f"notes: {swift_string(spec['notes'])}")
    return f"KeySpec({', '.join(parts)})"


def argument_lines(argument, indent):
    if argument["type"] not in ARGUMENT_TYPES:
        raise GeneratorError(f"unknown argument type {argument['type']}")
    parts = [f"name: {swift_string(argument['name'])}",
             f"type: .{camel_case(argument['type'])}"]
    if "key_spec_index" in argument:
        parts.append(f"keySpecIndex: {argument['key_spec_index']}")
    for json_key, label in (("token", "token"), ("summary", "summary"), ("since", "since")):
        if json_key in argument:
            parts.append(f"{label}: {swift_string(argument[json_key])}")
    flags = [flag for flag in ARGUMENT_FLAGS if argument.get(flag)]
    if flags:
        parts.append(f"flags: [{', '.join('.' + camel_case(flag) for flag in flags)}]")
    if "deprecated_since" in argument:
        parts.append(f"deprecatedSince: {swift_string(argument['deprecated_since'])}")
    if "display" in argument:
        parts.append(f"displayText: {swift_string(argument['display'])}")
    pad = " " * indent
    nested = argument.get("arguments", [])
    if not nested:
        return [f"{pad}CommandArgument({', '.join(parts)}),"]
    lines = [f"{pad}CommandArgument({', '.join(parts)}, arguments: ["]
    for child in nested:
        lines += argument_lines(child, indent + 4)
    lines.append(f"{pad}]),")
    return lines


def command_lines(name, spec, subcommands, specs, indent):
    pad = " " * indent
    inner = " " * (indent + 4)
    head = [f"name: {swift_string(name)}", f"arity: {spec['arity']}"]
    if spec.get("command_flags"):
        head.append(f"flags: {option_set(spec['command_flags'], COMMAND_FLAGS, 'command flag')}")
    if spec.get("acl_categories"):
        head.append(f"categories: {option_set(spec['acl_categories'], ACL_CATEGORIES, 'ACL category')}")
    if spec.get("command_tips"):
        tips = ", ".join(swift_string(tip.lower()) for tip in spec["command_tips"])
        head.append(f"tips: [{tips}]")
    lines = [f"{pad}CommandMetadata(", f"{inner}{', '.join(head)},"]

    if spec.get("key_specs"):
        lines.append(f"{inner}keySpecs: [")
        lines += [f"{inner}    {key_spec_call(key_spec)}," for key_spec in spec["key_specs"]]
        lines.append(f"{inner}],")

    # Valkey prints the group with a dash ("sorted-set"), the JSON has "sorted_set".
    docs = [f"summary: {swift_string(spec['summary'])}",
            f"since: {swift_string(spec['since'])}, group: {swift_string(spec['group'].replace('_', '-'))}"]
    if "complexity" in spec:
        docs.append(f"complexity: {swift_string(spec['complexity'])}")
    if spec.get("doc_flags"):
        docs.append(f"docFlags: {option_set(spec['doc_flags'], DOC_FLAGS, 'doc flag')}")
    if "deprecated_since" in spec:
        docs.append(f"deprecatedSince: {swift_string(spec['deprecated_since'])}")
    if "replaced_by" in spec:
        docs.append(f"replacedBy: {swift_string(spec['replaced_by'])}")
    lines += [f"{inner}{part}," for part in docs]

    if spec.get("history"):
        lines.append(f"{inner}history: [")
        lines += [f"{inner}    ({swift_string(version)}, {swift_string(change)}),"
                  for version, change in spec["history"]]
        lines.append(f"{inner}],")
    if spec.get("arguments"):
        lines.append(f"{inner}arguments: [")
        for argument in spec["arguments"]:
            lines += argument_lines(argument, indent + 8)
        lines.append(f"{inner}],")
    if subcommands:
        lines.append(f"{inner}subcommands: [")
        for subcommand in sorted(subcommands):
            lines += command_lines(subcommand, specs[subcommand], [], specs, indent + 8)
        lines.append(f"{inner}],")

    lines[-1] = lines[-1].rstrip(",")  # no trailing comma after the last argument
    lines.append(f"{pad}),")
    return lines


def generate(reference):
    specs = load_specs(reference)
    commands = read_command_list()
    missing = sorted(name for name in set(commands).union(*commands.values()) if name not in specs)
    if missing:
        raise GeneratorError(f"no JSON specification for: {', '.join(missing)}")

    lines = [HEADER, "extension CommandCatalog {",
             "    /// The commands of scripts/commands.txt, sorted by name.",
             "    static let generatedCommands: [CommandMetadata] = ["]
    for name in sorted(commands):
        lines += command_lines(name, specs[name], commands[name], specs, 8)
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", default="../shared/reference",
                        help="reference directory holding commands/*.json "
                             "(relative paths are taken from the repository root)")
    options = parser.parse_args()
    reference = REPO / options.reference  # an absolute path replaces REPO
    try:
        source = generate(reference)
    except GeneratorError as error:
        sys.exit(f"gen-command-metadata: {error}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(source)
    print(f"wrote {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
