// GENERATED FILE - do not edit. Regenerate with:
//     python3 scripts/gen-command-metadata.py [--reference ../shared/reference]
// from Valkey's command specifications (commands/*.json) for the commands listed
// in scripts/commands.txt.
//
// The command data comes from Valkey (https://github.com/valkey-io/valkey,
// src/commands/*.json), Copyright (c) 2024-present, Valkey contributors,
// and Redis contributors before it; BSD-3-Clause license.

extension CommandCatalog {
    /// The commands of scripts/commands.txt, sorted by name.
    static let generatedCommands: [CommandMetadata] = [
        CommandMetadata(
            name: "append", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Appends a string to the value of a key. Creates the key if it doesn't exist.",
            since: "2.0.0", group: "string",
            complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by the server will double the free space available on every reallocation.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "auth", arity: -2, flags: [.noscript, .loading, .stale, .fast, .noAuth, .sentinel, .allowBusy], categories: [.connection],
            summary: "Authenticates the connection.",
            since: "1.0.0", group: "connection",
            complexity: "O(N) where N is the number of passwords defined for the user",
            history: [
                ("6.0.0", "Added ACL style (username and password)."),
            ],
            arguments: [
                CommandArgument(name: "username", type: .string, since: "6.0.0", flags: [.optional]),
                CommandArgument(name: "password", type: .string),
            ]
        ),
        CommandMetadata(
            name: "bgsave", arity: -1, flags: [.noAsyncLoading, .admin, .noscript],
            summary: "Asynchronously saves the database(s) to disk.",
            since: "1.0.0", group: "server",
            complexity: "O(1)",
            history: [
                ("3.2.2", "Added the `SCHEDULE` option."),
                ("8.1.0", "Added the `CANCEL` option."),
            ],
            arguments: [
                CommandArgument(name: "operation", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "schedule", type: .pureToken, token: "SCHEDULE", since: "3.2.2"),
                    CommandArgument(name: "cancel", type: .pureToken, token: "CANCEL", since: "8.1.0"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "blmove", arity: 6, flags: [.write, .denyoom, .blocking], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.rw, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
            since: "6.2.0", group: "list",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
                CommandArgument(name: "wherefrom", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
                CommandArgument(name: "whereto", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "blmpop", arity: -5, flags: [.write, .blocking], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(2), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
            since: "7.0.0", group: "list",
            complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
            arguments: [
                CommandArgument(name: "timeout", type: .double),
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "where", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "blpop", arity: -3, flags: [.write, .blocking], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -2, keyStep: 1, limit: 0)),
            ],
            summary: "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
            since: "2.0.0", group: "list",
            complexity: "O(N) where N is the number of provided keys.",
            history: [
                ("6.0.0", "`timeout` is interpreted as a double instead of an integer."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "brpop", arity: -3, flags: [.write, .blocking], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -2, keyStep: 1, limit: 0)),
            ],
            summary: "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
            since: "2.0.0", group: "list",
            complexity: "O(N) where N is the number of provided keys.",
            history: [
                ("6.0.0", "`timeout` is interpreted as a double instead of an integer."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "brpoplpush", arity: 4, flags: [.write, .denyoom, .blocking], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.rw, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
            since: "2.2.0", group: "list",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
            history: [
                ("6.0.0", "`timeout` is interpreted as a double instead of an integer."),
            ],
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "bzmpop", arity: -5, flags: [.write, .blocking], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(2), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
            since: "7.0.0", group: "sorted-set",
            complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            arguments: [
                CommandArgument(name: "timeout", type: .double),
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "where", type: .oneof, arguments: [
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "bzpopmax", arity: -3, flags: [.write, .fast, .blocking], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -2, keyStep: 1, limit: 0)),
            ],
            summary: "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.",
            since: "5.0.0", group: "sorted-set",
            complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            history: [
                ("6.0.0", "`timeout` is interpreted as a double instead of an integer."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "bzpopmin", arity: -3, flags: [.write, .fast, .blocking], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -2, keyStep: 1, limit: 0)),
            ],
            summary: "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
            since: "5.0.0", group: "sorted-set",
            complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            history: [
                ("6.0.0", "`timeout` is interpreted as a double instead of an integer."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "timeout", type: .double),
            ]
        ),
        CommandMetadata(
            name: "client", arity: -2, flags: [.sentinel],
            summary: "A container for client connection commands.",
            since: "2.4.0", group: "connection",
            complexity: "Depends on subcommand.",
            subcommands: [
                CommandMetadata(
                    name: "client|getname", arity: 2, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Returns the name of the connection.",
                    since: "2.6.9", group: "connection",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "client|help", arity: 2, flags: [.loading, .stale, .sentinel], categories: [.connection],
                    summary: "Returns helpful text about the different subcommands.",
                    since: "5.0.0", group: "connection",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "client|id", arity: 2, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Returns the unique client ID of the connection.",
                    since: "5.0.0", group: "connection",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "client|info", arity: 2, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output"],
                    summary: "Returns information about the connection.",
                    since: "6.2.0", group: "connection",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "client|kill", arity: -3, flags: [.admin, .noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Terminates open connections.",
                    since: "2.4.0", group: "connection",
                    complexity: "O(N) where N is the number of client connections",
                    history: [
                        ("2.8.12", "Added new filter format."),
                        ("2.8.12", "`ID` option."),
                        ("3.2.0", "Added `master` type in for `TYPE` option."),
                        ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."),
                        ("6.2.0", "`LADDR` option."),
                        ("8.0.0", "`MAXAGE` option."),
                        ("8.0.0", "Replaced `master` `TYPE` with `primary`. `master` still supported for backward compatibility."),
                    ],
                    arguments: [
                        CommandArgument(name: "filter", type: .oneof, arguments: [
                            CommandArgument(name: "old-format", type: .string, deprecatedSince: "2.8.12", displayText: "ip:port"),
                            CommandArgument(name: "new-format", type: .oneof, flags: [.multiple], arguments: [
                                CommandArgument(name: "client-id", type: .integer, token: "ID", since: "2.8.12", flags: [.optional]),
                                CommandArgument(name: "client-type", type: .oneof, token: "TYPE", since: "2.8.12", flags: [.optional], arguments: [
                                    CommandArgument(name: "normal", type: .pureToken, token: "normal"),
                                    CommandArgument(name: "master", type: .pureToken, token: "master", since: "3.2.0"),
                                    CommandArgument(name: "primary", type: .pureToken, token: "primary", since: "8.0.0"),
                                    CommandArgument(name: "slave", type: .pureToken, token: "slave"),
                                    CommandArgument(name: "replica", type: .pureToken, token: "replica", since: "5.0.0"),
                                    CommandArgument(name: "pubsub", type: .pureToken, token: "pubsub"),
                                ]),
                                CommandArgument(name: "username", type: .string, token: "USER", flags: [.optional]),
                                CommandArgument(name: "addr", type: .string, token: "ADDR", flags: [.optional], displayText: "ip:port"),
                                CommandArgument(name: "laddr", type: .string, token: "LADDR", since: "6.2.0", flags: [.optional], displayText: "ip:port"),
                                CommandArgument(name: "skipme", type: .oneof, token: "SKIPME", flags: [.optional], arguments: [
                                    CommandArgument(name: "yes", type: .pureToken, token: "YES"),
                                    CommandArgument(name: "no", type: .pureToken, token: "NO"),
                                ]),
                                CommandArgument(name: "maxage", type: .integer, token: "MAXAGE", since: "8.0.0", flags: [.optional]),
                            ]),
                        ]),
                    ]
                ),
                CommandMetadata(
                    name: "client|list", arity: -2, flags: [.admin, .noscript, .loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output"],
                    summary: "Lists open connections.",
                    since: "2.4.0", group: "connection",
                    complexity: "O(N) where N is the number of client connections",
                    history: [
                        ("2.8.12", "Added unique client `id` field."),
                        ("5.0.0", "Added optional `TYPE` filter."),
                        ("6.0.0", "Added `user` field."),
                        ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."),
                        ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."),
                        ("7.0.3", "Added `ssub` field."),
                        ("8.0.0", "Replaced `master` `TYPE` with `primary`. `master` still supported for backward compatibility."),
                    ],
                    arguments: [
                        CommandArgument(name: "client-type", type: .oneof, token: "TYPE", since: "5.0.0", flags: [.optional], arguments: [
                            CommandArgument(name: "normal", type: .pureToken, token: "normal"),
                            CommandArgument(name: "master", type: .pureToken, token: "master"),
                            CommandArgument(name: "replica", type: .pureToken, token: "replica"),
                            CommandArgument(name: "pubsub", type: .pureToken, token: "pubsub"),
                        ]),
                        CommandArgument(name: "client-id", type: .integer, token: "ID", since: "6.2.0", flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "client|no-evict", arity: 3, flags: [.admin, .noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Sets the client eviction mode of the connection.",
                    since: "7.0.0", group: "connection",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "enabled", type: .oneof, arguments: [
                            CommandArgument(name: "on", type: .pureToken, token: "ON"),
                            CommandArgument(name: "off", type: .pureToken, token: "OFF"),
                        ]),
                    ]
                ),
                CommandMetadata(
                    name: "client|no-touch", arity: 3, flags: [.noscript, .loading, .stale], categories: [.connection],
                    summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
                    since: "7.2.0", group: "connection",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "enabled", type: .oneof, arguments: [
                            CommandArgument(name: "on", type: .pureToken, token: "ON"),
                            CommandArgument(name: "off", type: .pureToken, token: "OFF"),
                        ]),
                    ]
                ),
                CommandMetadata(
                    name: "client|reply", arity: 3, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Instructs the server whether to reply to commands.",
                    since: "3.2.0", group: "connection",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "action", type: .oneof, arguments: [
                            CommandArgument(name: "on", type: .pureToken, token: "ON"),
                            CommandArgument(name: "off", type: .pureToken, token: "OFF"),
                            CommandArgument(name: "skip", type: .pureToken, token: "SKIP"),
                        ]),
                    ]
                ),
                CommandMetadata(
                    name: "client|setinfo", arity: 4, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    summary: "Sets information specific to the client or connection.",
                    since: "7.2.0", group: "connection",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "attr", type: .oneof, arguments: [
                            CommandArgument(name: "libname", type: .string, token: "lib-name"),
                            CommandArgument(name: "libver", type: .string, token: "lib-ver"),
                        ]),
                    ]
                ),
                CommandMetadata(
                    name: "client|setname", arity: 3, flags: [.noscript, .loading, .stale, .sentinel], categories: [.connection], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    summary: "Sets the connection name.",
                    since: "2.6.9", group: "connection",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "connection-name", type: .string),
                    ]
                ),
                CommandMetadata(
                    name: "client|unblock", arity: -3, flags: [.admin, .noscript, .loading, .stale, .sentinel], categories: [.connection],
                    summary: "Unblocks a client blocked by a blocking command from a different connection.",
                    since: "5.0.0", group: "connection",
                    complexity: "O(log N) where N is the number of client connections",
                    arguments: [
                        CommandArgument(name: "client-id", type: .integer),
                        CommandArgument(name: "unblock-type", type: .oneof, flags: [.optional], arguments: [
                            CommandArgument(name: "timeout", type: .pureToken, token: "TIMEOUT"),
                            CommandArgument(name: "error", type: .pureToken, token: "ERROR"),
                        ]),
                    ]
                ),
            ]
        ),
        CommandMetadata(
            name: "command", arity: -1, flags: [.loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output_order"],
            summary: "Returns detailed information about all commands.",
            since: "2.8.13", group: "server",
            complexity: "O(N) where N is the total number of commands",
            subcommands: [
                CommandMetadata(
                    name: "command|count", arity: 2, flags: [.loading, .stale, .sentinel], categories: [.connection],
                    summary: "Returns a count of commands.",
                    since: "2.8.13", group: "server",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "command|docs", arity: -2, flags: [.loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output_order"],
                    summary: "Returns documentary information about one, multiple or all commands.",
                    since: "7.0.0", group: "server",
                    complexity: "O(N) where N is the number of commands to look up",
                    arguments: [
                        CommandArgument(name: "command-name", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "command|getkeys", arity: -3, flags: [.loading, .stale, .sentinel], categories: [.connection],
                    summary: "Extracts the key names from an arbitrary command.",
                    since: "2.8.13", group: "server",
                    complexity: "O(N) where N is the number of arguments to the command",
                    arguments: [
                        CommandArgument(name: "command", type: .string),
                        CommandArgument(name: "arg", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "command|getkeysandflags", arity: -3, flags: [.loading, .stale, .sentinel], categories: [.connection],
                    summary: "Extracts the key names and access flags for an arbitrary command.",
                    since: "7.0.0", group: "server",
                    complexity: "O(N) where N is the number of arguments to the command",
                    arguments: [
                        CommandArgument(name: "command", type: .string),
                        CommandArgument(name: "arg", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "command|help", arity: 2, flags: [.loading, .stale, .sentinel], categories: [.connection],
                    summary: "Returns helpful text about the different subcommands.",
                    since: "5.0.0", group: "server",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "command|info", arity: -2, flags: [.loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output_order"],
                    summary: "Returns information about one, multiple or all commands.",
                    since: "2.8.13", group: "server",
                    complexity: "O(N) where N is the number of commands to look up",
                    history: [
                        ("7.0.0", "Allowed to be called with no argument to get info on all commands."),
                    ],
                    arguments: [
                        CommandArgument(name: "command-name", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "command|list", arity: -2, flags: [.loading, .stale, .sentinel], categories: [.connection], tips: ["nondeterministic_output_order"],
                    summary: "Returns a list of command names.",
                    since: "7.0.0", group: "server",
                    complexity: "O(N) where N is the total number of commands",
                    arguments: [
                        CommandArgument(name: "filterby", type: .oneof, token: "FILTERBY", flags: [.optional], arguments: [
                            CommandArgument(name: "module-name", type: .string, token: "MODULE"),
                            CommandArgument(name: "category", type: .string, token: "ACLCAT"),
                            CommandArgument(name: "pattern", type: .pattern, token: "PATTERN"),
                        ]),
                    ]
                ),
            ]
        ),
        CommandMetadata(
            name: "config", arity: -2,
            summary: "A container for server configuration commands.",
            since: "2.0.0", group: "server",
            complexity: "Depends on subcommand.",
            subcommands: [
                CommandMetadata(
                    name: "config|get", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    summary: "Returns the effective values of configuration parameters.",
                    since: "2.0.0", group: "server",
                    complexity: "O(N) when N is the number of configuration parameters provided",
                    history: [
                        ("7.0.0", "Added the ability to pass multiple pattern parameters in one call"),
                    ],
                    arguments: [
                        CommandArgument(name: "parameter", type: .string, flags: [.multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "config|help", arity: 2, flags: [.loading, .stale],
                    summary: "Returns helpful text about the different subcommands.",
                    since: "5.0.0", group: "server",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "config|resetstat", arity: 2, flags: [.admin, .noscript, .loading, .stale], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    summary: "Resets the server's statistics.",
                    since: "2.0.0", group: "server",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "config|set", arity: -4, flags: [.admin, .noscript, .loading, .stale], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    summary: "Sets configuration parameters in-flight.",
                    since: "2.0.0", group: "server",
                    complexity: "O(N) when N is the number of configuration parameters provided",
                    history: [
                        ("7.0.0", "Added the ability to set multiple parameters in one call."),
                    ],
                    arguments: [
                        CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                            CommandArgument(name: "parameter", type: .string),
                            CommandArgument(name: "value", type: .string),
                        ]),
                    ]
                ),
            ]
        ),
        CommandMetadata(
            name: "copy", arity: -3, flags: [.write, .denyoom], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ow, .update], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Copies the value of a key to a new key.",
            since: "6.2.0", group: "generic",
            complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
                CommandArgument(name: "destination-db", type: .integer, token: "DB", flags: [.optional]),
                CommandArgument(name: "replace", type: .pureToken, token: "REPLACE", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "dbsize", arity: 1, flags: [.readonly, .fast], categories: [.keyspace], tips: ["request_policy:all_shards", "response_policy:agg_sum"],
            summary: "Returns the number of keys in the database.",
            since: "1.0.0", group: "server",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "decr", arity: 2, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "decrby", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "decrement", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "del", arity: -2, flags: [.write], categories: [.keyspace], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [
                KeySpec(flags: [.rm, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Deletes one or more keys.",
            since: "1.0.0", group: "generic",
            complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "discard", arity: 1, flags: [.noscript, .loading, .stale, .fast, .allowBusy], categories: [.transaction],
            summary: "Discards a transaction.",
            since: "2.0.0", group: "transactions",
            complexity: "O(N), when N is the number of queued commands"
        ),
        CommandMetadata(
            name: "echo", arity: 2, flags: [.loading, .stale, .fast], categories: [.connection],
            summary: "Returns the given string.",
            since: "1.0.0", group: "connection",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "message", type: .string),
            ]
        ),
        CommandMetadata(
            name: "exec", arity: 1, flags: [.noscript, .loading, .stale, .skipSlowlog], categories: [.transaction],
            summary: "Executes all commands in a transaction.",
            since: "1.2.0", group: "transactions",
            complexity: "Depends on commands in the transaction"
        ),
        CommandMetadata(
            name: "exists", arity: -2, flags: [.readonly, .fast], categories: [.keyspace], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Determines whether one or more keys exist.",
            since: "1.0.0", group: "generic",
            complexity: "O(N) where N is the number of keys to check.",
            history: [
                ("3.0.3", "Accepts multiple `key` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "expire", arity: -3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the expiration time of a key in seconds.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "seconds", type: .integer),
                CommandArgument(name: "condition", type: .oneof, since: "7.0.0", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                    CommandArgument(name: "gt", type: .pureToken, token: "GT"),
                    CommandArgument(name: "lt", type: .pureToken, token: "LT"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "expireat", arity: -3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the expiration time of a key to a Unix timestamp.",
            since: "1.2.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "unix-time-seconds", type: .unixTime),
                CommandArgument(name: "condition", type: .oneof, since: "7.0.0", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                    CommandArgument(name: "gt", type: .pureToken, token: "GT"),
                    CommandArgument(name: "lt", type: .pureToken, token: "LT"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "expiretime", arity: 2, flags: [.readonly, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the expiration time of a key as a Unix timestamp.",
            since: "7.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "flushall", arity: -1, flags: [.write], categories: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            summary: "Removes all keys from all databases.",
            since: "1.0.0", group: "server",
            complexity: "O(N) where N is the total number of keys in all databases",
            history: [
                ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
                ("6.2.0", "Added the `SYNC` flushing mode modifier."),
            ],
            arguments: [
                CommandArgument(name: "flush-type", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "async", type: .pureToken, token: "ASYNC", since: "4.0.0"),
                    CommandArgument(name: "sync", type: .pureToken, token: "SYNC", since: "6.2.0"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "flushdb", arity: -1, flags: [.write], categories: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            summary: "Remove all keys from the current database.",
            since: "1.0.0", group: "server",
            complexity: "O(N) where N is the number of keys in the selected database",
            history: [
                ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
                ("6.2.0", "Added the `SYNC` flushing mode modifier."),
            ],
            arguments: [
                CommandArgument(name: "flush-type", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "async", type: .pureToken, token: "ASYNC", since: "4.0.0"),
                    CommandArgument(name: "sync", type: .pureToken, token: "SYNC", since: "6.2.0"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "get", arity: 2, flags: [.readonly, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the string value of a key.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "getdel", arity: 2, flags: [.write, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the string value of a key after deleting the key.",
            since: "6.2.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "getex", arity: -2, flags: [.write, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0), notes: "RW and UPDATE because it changes the TTL"),
            ],
            summary: "Returns the string value of a key after setting its expiration time.",
            since: "6.2.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "expiration", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "seconds", type: .integer, token: "EX"),
                    CommandArgument(name: "milliseconds", type: .integer, token: "PX"),
                    CommandArgument(name: "unix-time-seconds", type: .unixTime, token: "EXAT"),
                    CommandArgument(name: "unix-time-milliseconds", type: .unixTime, token: "PXAT"),
                    CommandArgument(name: "persist", type: .pureToken, token: "PERSIST"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "getrange", arity: 4, flags: [.readonly], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns a substring of the string stored at a key.",
            since: "2.4.0", group: "string",
            complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "end", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "getset", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the previous string value of a key after setting it to a new value.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`SET` with the `!GET` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "hdel", arity: -3, flags: [.write, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the number of fields to be removed.",
            history: [
                ("2.4.0", "Accepts multiple `field` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "hello", arity: -1, flags: [.noscript, .loading, .stale, .fast, .noAuth, .sentinel, .allowBusy], categories: [.connection],
            summary: "Handshakes with the server.",
            since: "6.0.0", group: "connection",
            complexity: "O(1)",
            history: [
                ("6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context."),
            ],
            arguments: [
                CommandArgument(name: "arguments", type: .block, flags: [.optional], arguments: [
                    CommandArgument(name: "protover", type: .integer),
                    CommandArgument(name: "auth", type: .block, token: "AUTH", flags: [.optional], arguments: [
                        CommandArgument(name: "username", type: .string),
                        CommandArgument(name: "password", type: .string),
                    ]),
                    CommandArgument(name: "clientname", type: .string, token: "SETNAME", flags: [.optional]),
                ]),
            ]
        ),
        CommandMetadata(
            name: "hexists", arity: 3, flags: [.readonly, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Determines whether a field exists in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
            ]
        ),
        CommandMetadata(
            name: "hget", arity: 3, flags: [.readonly, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the value of a field in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
            ]
        ),
        CommandMetadata(
            name: "hgetall", arity: 2, flags: [.readonly], categories: [.hash], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns all fields and values in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the size of the hash.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "hincrby", arity: 4, flags: [.write, .denyoom, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
            since: "2.0.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
                CommandArgument(name: "increment", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "hincrbyfloat", arity: 4, flags: [.write, .denyoom, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
            since: "2.6.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
                CommandArgument(name: "increment", type: .double),
            ]
        ),
        CommandMetadata(
            name: "history", arity: -2, flags: [.readonly], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.ro, .access, .incomplete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0), notes: "HISTORY AT key ms has its key at position 2"),
            ],
            summary: "Lists the recorded changes of a key that matches history-keys, or returns the value it had at an instant (AT).",
            since: "0.1.0", group: "generic",
            complexity: "O(N) where N is the number of changes read.",
            arguments: [
                CommandArgument(name: "form", type: .oneof, arguments: [
                    CommandArgument(name: "changes", type: .block, arguments: [
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                        CommandArgument(name: "field", type: .string, token: "FIELD", flags: [.optional]),
                        CommandArgument(name: "since", type: .unixTime, token: "SINCE", flags: [.optional]),
                        CommandArgument(name: "until", type: .unixTime, token: "UNTIL", flags: [.optional]),
                        CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
                        CommandArgument(name: "rev", type: .pureToken, token: "REV", flags: [.optional]),
                    ]),
                    CommandArgument(name: "instant", type: .block, arguments: [
                        CommandArgument(name: "at", type: .pureToken, token: "AT"),
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                        CommandArgument(name: "unix-time-milliseconds", type: .unixTime),
                    ]),
                ]),
            ]
        ),
        CommandMetadata(
            name: "hkeys", arity: 2, flags: [.readonly], categories: [.hash], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns all fields in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the size of the hash.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "hlen", arity: 2, flags: [.readonly, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the number of fields in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "hmget", arity: -3, flags: [.readonly, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the values of all fields in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the number of fields being requested.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "hmset", arity: -4, flags: [.write, .denyoom, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the values of multiple fields.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the number of fields being set.",
            docFlags: [.deprecated],
            deprecatedSince: "4.0.0",
            replacedBy: "`HSET` with multiple field-value pairs",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                    CommandArgument(name: "field", type: .string),
                    CommandArgument(name: "value", type: .string),
                ]),
            ]
        ),
        CommandMetadata(
            name: "hrandfield", arity: -2, flags: [.readonly], categories: [.hash], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns one or more random fields from a hash.",
            since: "6.2.0", group: "hash",
            complexity: "O(N) where N is the number of fields returned",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "options", type: .block, flags: [.optional], arguments: [
                    CommandArgument(name: "count", type: .integer),
                    CommandArgument(name: "withvalues", type: .pureToken, token: "WITHVALUES", flags: [.optional]),
                ]),
            ]
        ),
        CommandMetadata(
            name: "hscan", arity: -3, flags: [.readonly], categories: [.hash], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Iterates over fields and values of a hash.",
            since: "2.8.0", group: "hash",
            complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "cursor", type: .integer),
                CommandArgument(name: "pattern", type: .pattern, token: "MATCH", flags: [.optional]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
                CommandArgument(name: "novalues", type: .pureToken, token: "NOVALUES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "hset", arity: -4, flags: [.write, .denyoom, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Creates or modifies the value of a field in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
            history: [
                ("4.0.0", "Accepts multiple `field` and `value` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                    CommandArgument(name: "field", type: .string),
                    CommandArgument(name: "value", type: .string),
                ]),
            ]
        ),
        CommandMetadata(
            name: "hsetnx", arity: 4, flags: [.write, .denyoom, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the value of a field in a hash only when the field doesn't exist.",
            since: "2.0.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "hstrlen", arity: 3, flags: [.readonly, .fast], categories: [.hash],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the length of the value of a field.",
            since: "3.2.0", group: "hash",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "field", type: .string),
            ]
        ),
        CommandMetadata(
            name: "hvals", arity: 2, flags: [.readonly], categories: [.hash], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns all values in a hash.",
            since: "2.0.0", group: "hash",
            complexity: "O(N) where N is the size of the hash.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "incr", arity: 2, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "incrby", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "increment", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "incrbyfloat", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
            since: "2.6.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "increment", type: .double),
            ]
        ),
        CommandMetadata(
            name: "info", arity: -1, flags: [.loading, .stale, .sentinel], categories: [.dangerous], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
            summary: "Returns information and statistics about the server.",
            since: "1.0.0", group: "server",
            complexity: "O(1)",
            history: [
                ("7.0.0", "Added support for taking multiple section arguments."),
            ],
            arguments: [
                CommandArgument(name: "section", type: .string, flags: [.optional, .multiple]),
            ]
        ),
        CommandMetadata(
            name: "keys", arity: 2, flags: [.readonly], categories: [.keyspace, .dangerous], tips: ["request_policy:all_shards", "nondeterministic_output_order"],
            summary: "Returns all key names that match a pattern.",
            since: "1.0.0", group: "generic",
            complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
            arguments: [
                CommandArgument(name: "pattern", type: .pattern),
            ]
        ),
        CommandMetadata(
            name: "lastsave", arity: 1, flags: [.loading, .stale, .fast], categories: [.admin, .dangerous], tips: ["nondeterministic_output"],
            summary: "Returns the Unix timestamp of the last successful save to disk.",
            since: "1.0.0", group: "server",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "lcs", arity: -3, flags: [.readonly], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 1, keyStep: 1, limit: 0)),
            ],
            summary: "Finds the longest common substring.",
            since: "7.0.0", group: "string",
            complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
            arguments: [
                CommandArgument(name: "key1", type: .key, keySpecIndex: 0),
                CommandArgument(name: "key2", type: .key, keySpecIndex: 0),
                CommandArgument(name: "len", type: .pureToken, token: "LEN", flags: [.optional]),
                CommandArgument(name: "idx", type: .pureToken, token: "IDX", flags: [.optional]),
                CommandArgument(name: "min-match-len", type: .integer, token: "MINMATCHLEN", flags: [.optional]),
                CommandArgument(name: "withmatchlen", type: .pureToken, token: "WITHMATCHLEN", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "lindex", arity: 3, flags: [.readonly], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns an element from a list by its index.",
            since: "1.0.0", group: "list",
            complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "index", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "linsert", arity: 5, flags: [.write, .denyoom], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Inserts an element before or after another element in a list.",
            since: "2.2.0", group: "list",
            complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "where", type: .oneof, arguments: [
                    CommandArgument(name: "before", type: .pureToken, token: "BEFORE"),
                    CommandArgument(name: "after", type: .pureToken, token: "AFTER"),
                ]),
                CommandArgument(name: "pivot", type: .string),
                CommandArgument(name: "element", type: .string),
            ]
        ),
        CommandMetadata(
            name: "llen", arity: 2, flags: [.readonly, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the length of a list.",
            since: "1.0.0", group: "list",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "lmove", arity: 5, flags: [.write, .denyoom], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.rw, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
            since: "6.2.0", group: "list",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
                CommandArgument(name: "wherefrom", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
                CommandArgument(name: "whereto", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "lmpop", arity: -4, flags: [.write], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
            since: "7.0.0", group: "list",
            complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "where", type: .oneof, arguments: [
                    CommandArgument(name: "left", type: .pureToken, token: "LEFT"),
                    CommandArgument(name: "right", type: .pureToken, token: "RIGHT"),
                ]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "lolwut", arity: -1, flags: [.readonly, .fast],
            summary: "Displays computer art and the server version",
            since: "5.0.0", group: "server",
            arguments: [
                CommandArgument(name: "version", type: .integer, token: "VERSION", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "lpop", arity: -2, flags: [.write, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
            since: "1.0.0", group: "list",
            complexity: "O(N) where N is the number of elements returned",
            history: [
                ("6.2.0", "Added the `count` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, since: "6.2.0", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "lpos", arity: -3, flags: [.readonly], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the index of matching elements in a list.",
            since: "6.0.6", group: "list",
            complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "element", type: .string),
                CommandArgument(name: "rank", type: .integer, token: "RANK", flags: [.optional]),
                CommandArgument(name: "num-matches", type: .integer, token: "COUNT", flags: [.optional]),
                CommandArgument(name: "len", type: .integer, token: "MAXLEN", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "lpush", arity: -3, flags: [.write, .denyoom, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
            since: "1.0.0", group: "list",
            complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            history: [
                ("2.4.0", "Accepts multiple `element` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "element", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "lpushx", arity: -3, flags: [.write, .denyoom, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Prepends one or more elements to a list only when the list exists.",
            since: "2.2.0", group: "list",
            complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            history: [
                ("4.0.0", "Accepts multiple `element` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "element", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "lrange", arity: 4, flags: [.readonly], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns a range of elements from a list.",
            since: "1.0.0", group: "list",
            complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "stop", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "lrem", arity: 4, flags: [.write], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes elements from a list. Deletes the list if the last element was removed.",
            since: "1.0.0", group: "list",
            complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer),
                CommandArgument(name: "element", type: .string),
            ]
        ),
        CommandMetadata(
            name: "lset", arity: 4, flags: [.write, .denyoom], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the value of an element in a list by its index.",
            since: "1.0.0", group: "list",
            complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "index", type: .integer),
                CommandArgument(name: "element", type: .string),
            ]
        ),
        CommandMetadata(
            name: "ltrim", arity: 4, flags: [.write], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
            since: "1.0.0", group: "list",
            complexity: "O(N) where N is the number of elements to be removed by the operation.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "stop", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "mget", arity: -2, flags: [.readonly, .fast], categories: [.string], tips: ["request_policy:multi_shard"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Atomically returns the string values of one or more keys.",
            since: "1.0.0", group: "string",
            complexity: "O(N) where N is the number of keys to retrieve.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "move", arity: 3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Moves a key to another database.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "db", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "mset", arity: -3, flags: [.write, .denyoom], categories: [.string], tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 2, limit: 0)),
            ],
            summary: "Atomically creates or modifies the string values of one or more keys.",
            since: "1.0.1", group: "string",
            complexity: "O(N) where N is the number of keys to set.",
            arguments: [
                CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                    CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    CommandArgument(name: "value", type: .string),
                ]),
            ]
        ),
        CommandMetadata(
            name: "msetnx", arity: -3, flags: [.write, .denyoom], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ow, .insert], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 2, limit: 0)),
            ],
            summary: "Atomically modifies the string values of one or more keys only when all keys don't exist.",
            since: "1.0.1", group: "string",
            complexity: "O(N) where N is the number of keys to set.",
            arguments: [
                CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                    CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    CommandArgument(name: "value", type: .string),
                ]),
            ]
        ),
        CommandMetadata(
            name: "multi", arity: 1, flags: [.noscript, .loading, .stale, .fast, .noMulti, .allowBusy], categories: [.transaction],
            summary: "Starts a transaction.",
            since: "1.2.0", group: "transactions",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "object", arity: -2,
            summary: "A container for object introspection commands.",
            since: "2.2.3", group: "generic",
            complexity: "Depends on subcommand.",
            subcommands: [
                CommandMetadata(
                    name: "object|encoding", arity: 3, flags: [.readonly], categories: [.keyspace], tips: ["nondeterministic_output"],
                    keySpecs: [
                        KeySpec(flags: [.ro], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                    ],
                    summary: "Returns the internal encoding of an object.",
                    since: "2.2.3", group: "generic",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    ]
                ),
                CommandMetadata(
                    name: "object|freq", arity: 3, flags: [.readonly], categories: [.keyspace], tips: ["nondeterministic_output"],
                    keySpecs: [
                        KeySpec(flags: [.ro], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                    ],
                    summary: "Returns the logarithmic access frequency counter of an object.",
                    since: "4.0.0", group: "generic",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    ]
                ),
                CommandMetadata(
                    name: "object|help", arity: 2, flags: [.loading, .stale], categories: [.keyspace],
                    summary: "Returns helpful text about the different subcommands.",
                    since: "6.2.0", group: "generic",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "object|idletime", arity: 3, flags: [.readonly], categories: [.keyspace], tips: ["nondeterministic_output"],
                    keySpecs: [
                        KeySpec(flags: [.ro], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                    ],
                    summary: "Returns the time since the last access to an object.",
                    since: "2.2.3", group: "generic",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    ]
                ),
                CommandMetadata(
                    name: "object|refcount", arity: 3, flags: [.readonly], categories: [.keyspace], tips: ["nondeterministic_output"],
                    keySpecs: [
                        KeySpec(flags: [.ro], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                    ],
                    summary: "Returns the reference count of a value of a key.",
                    since: "2.2.3", group: "generic",
                    complexity: "O(1)",
                    arguments: [
                        CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                    ]
                ),
            ]
        ),
        CommandMetadata(
            name: "persist", arity: 2, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes the expiration time of a key.",
            since: "2.2.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "pexpire", arity: -3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the expiration time of a key in milliseconds.",
            since: "2.6.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "milliseconds", type: .integer),
                CommandArgument(name: "condition", type: .oneof, since: "7.0.0", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                    CommandArgument(name: "gt", type: .pureToken, token: "GT"),
                    CommandArgument(name: "lt", type: .pureToken, token: "LT"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "pexpireat", arity: -3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the expiration time of a key to a Unix milliseconds timestamp.",
            since: "2.6.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "unix-time-milliseconds", type: .unixTime),
                CommandArgument(name: "condition", type: .oneof, since: "7.0.0", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                    CommandArgument(name: "gt", type: .pureToken, token: "GT"),
                    CommandArgument(name: "lt", type: .pureToken, token: "LT"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "pexpiretime", arity: 2, flags: [.readonly, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the expiration time of a key as a Unix milliseconds timestamp.",
            since: "7.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "ping", arity: -1, flags: [.fast, .sentinel], categories: [.connection], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            summary: "Returns the server's liveliness response.",
            since: "1.0.0", group: "connection",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "message", type: .string, flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "psetex", arity: 4, flags: [.write, .denyoom], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
            since: "2.6.0", group: "string",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "2.6.12",
            replacedBy: "`SET` with the `PX` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "milliseconds", type: .integer),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "psubscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale, .sentinel],
            summary: "Listens for messages published to channels that match one or more patterns.",
            since: "2.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of patterns to subscribe to.",
            arguments: [
                CommandArgument(name: "pattern", type: .pattern, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "pttl", arity: 2, flags: [.readonly, .fast], categories: [.keyspace], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the expiration time in milliseconds of a key.",
            since: "2.6.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("2.8.0", "Added the -2 reply."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "publish", arity: 3, flags: [.pubsub, .loading, .stale, .fast, .mayReplicate, .sentinel],
            summary: "Posts a message to a channel.",
            since: "2.0.0", group: "pubsub",
            complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
            arguments: [
                CommandArgument(name: "channel", type: .string),
                CommandArgument(name: "message", type: .string),
            ]
        ),
        CommandMetadata(
            name: "pubsub", arity: -2,
            summary: "A container for Pub/Sub commands.",
            since: "2.8.0", group: "pubsub",
            complexity: "Depends on subcommand.",
            subcommands: [
                CommandMetadata(
                    name: "pubsub|channels", arity: -2, flags: [.pubsub, .loading, .stale],
                    summary: "Returns the active channels.",
                    since: "2.8.0", group: "pubsub",
                    complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
                    arguments: [
                        CommandArgument(name: "pattern", type: .pattern, flags: [.optional]),
                    ]
                ),
                CommandMetadata(
                    name: "pubsub|help", arity: 2, flags: [.loading, .stale],
                    summary: "Returns helpful text about the different subcommands.",
                    since: "6.2.0", group: "pubsub",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "pubsub|numpat", arity: 2, flags: [.pubsub, .loading, .stale],
                    summary: "Returns a count of unique pattern subscriptions.",
                    since: "2.8.0", group: "pubsub",
                    complexity: "O(1)"
                ),
                CommandMetadata(
                    name: "pubsub|numsub", arity: -2, flags: [.pubsub, .loading, .stale],
                    summary: "Returns a count of subscribers to channels.",
                    since: "2.8.0", group: "pubsub",
                    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                    arguments: [
                        CommandArgument(name: "channel", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
                CommandMetadata(
                    name: "pubsub|shardchannels", arity: -2, flags: [.pubsub, .loading, .stale],
                    summary: "Returns the active shard channels.",
                    since: "7.0.0", group: "pubsub",
                    complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
                    arguments: [
                        CommandArgument(name: "pattern", type: .pattern, flags: [.optional]),
                    ]
                ),
                CommandMetadata(
                    name: "pubsub|shardnumsub", arity: -2, flags: [.pubsub, .loading, .stale],
                    summary: "Returns the count of subscribers of shard channels.",
                    since: "7.0.0", group: "pubsub",
                    complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                    arguments: [
                        CommandArgument(name: "shardchannel", type: .string, flags: [.optional, .multiple]),
                    ]
                ),
            ]
        ),
        CommandMetadata(
            name: "punsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale, .sentinel],
            summary: "Stops listening to messages published to channels that match one or more patterns.",
            since: "2.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of patterns to unsubscribe.",
            arguments: [
                CommandArgument(name: "pattern", type: .pattern, flags: [.optional, .multiple]),
            ]
        ),
        CommandMetadata(
            name: "quit", arity: -1, flags: [.allowBusy, .noscript, .loading, .stale, .fast, .noAuth], categories: [.connection],
            summary: "Closes the connection.",
            since: "1.0.0", group: "connection",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "7.2.0",
            replacedBy: "just closing the connection"
        ),
        CommandMetadata(
            name: "randomkey", arity: 1, flags: [.readonly, .touchesArbitraryKeys], categories: [.keyspace], tips: ["request_policy:all_shards", "response_policy:special", "nondeterministic_output"],
            summary: "Returns a random key name from the database.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "rename", arity: 3, flags: [.write], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ow, .update], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Renames a key and overwrites the destination.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "newkey", type: .key, keySpecIndex: 1),
            ]
        ),
        CommandMetadata(
            name: "renamenx", arity: 3, flags: [.write, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ow, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Renames a key only when the target key name doesn't exist.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("3.2.0", "The command no longer returns an error when source and destination names are the same."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "newkey", type: .key, keySpecIndex: 1),
            ]
        ),
        CommandMetadata(
            name: "reset", arity: 1, flags: [.noscript, .loading, .stale, .fast, .noAuth, .allowBusy], categories: [.connection],
            summary: "Resets the connection.",
            since: "6.2.0", group: "connection",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "rpop", arity: -2, flags: [.write, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
            since: "1.0.0", group: "list",
            complexity: "O(N) where N is the number of elements returned",
            history: [
                ("6.2.0", "Added the `count` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, since: "6.2.0", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "rpoplpush", arity: 3, flags: [.write, .denyoom], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.rw, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
            since: "1.2.0", group: "list",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
            ]
        ),
        CommandMetadata(
            name: "rpush", arity: -3, flags: [.write, .denyoom, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Appends one or more elements to a list. Creates the key if it doesn't exist.",
            since: "1.0.0", group: "list",
            complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            history: [
                ("2.4.0", "Accepts multiple `element` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "element", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "rpushx", arity: -3, flags: [.write, .denyoom, .fast], categories: [.list],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Appends an element to a list only when the list exists.",
            since: "2.2.0", group: "list",
            complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            history: [
                ("4.0.0", "Accepts multiple `element` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "element", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sadd", arity: -3, flags: [.write, .denyoom, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.rw, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Adds one or more members to a set. Creates the key if it doesn't exist.",
            since: "1.0.0", group: "set",
            complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            history: [
                ("2.4.0", "Accepts multiple `member` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "save", arity: 1, flags: [.noAsyncLoading, .admin, .noscript, .noMulti],
            summary: "Synchronously saves the database(s) to disk.",
            since: "1.0.0", group: "server",
            complexity: "O(N) where N is the total number of keys in all databases"
        ),
        CommandMetadata(
            name: "scan", arity: -2, flags: [.readonly, .touchesArbitraryKeys], categories: [.keyspace], tips: ["nondeterministic_output", "request_policy:special", "response_policy:special"],
            summary: "Iterates over the key names in the database.",
            since: "2.8.0", group: "generic",
            complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
            history: [
                ("6.0.0", "Added the `TYPE` subcommand."),
            ],
            arguments: [
                CommandArgument(name: "cursor", type: .integer),
                CommandArgument(name: "pattern", type: .pattern, token: "MATCH", flags: [.optional]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
                CommandArgument(name: "type", type: .string, token: "TYPE", since: "6.0.0", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "scard", arity: 2, flags: [.readonly, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the number of members in a set.",
            since: "1.0.0", group: "set",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "sdiff", arity: -2, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the difference of multiple sets.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the total number of elements in all given sets.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sdiffstore", arity: -3, flags: [.write, .denyoom], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Stores the difference of multiple sets in a key.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the total number of elements in all given sets.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "select", arity: 2, flags: [.loading, .stale, .fast], categories: [.connection],
            summary: "Changes the selected database.",
            since: "1.0.0", group: "connection",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "index", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "set", arity: -3, flags: [.write, .denyoom], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update, .variableFlags], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0), notes: "RW and ACCESS due to the optional `GET` argument"),
            ],
            summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            history: [
                ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
                ("6.0.0", "Added the `KEEPTTL` option."),
                ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
                ("7.0.0", "Allowed the `NX` and `GET` options to be used together."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "value", type: .string),
                CommandArgument(name: "condition", type: .oneof, since: "2.6.12", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                ]),
                CommandArgument(name: "get", type: .pureToken, token: "GET", since: "6.2.0", flags: [.optional]),
                CommandArgument(name: "expiration", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "seconds", type: .integer, token: "EX", since: "2.6.12"),
                    CommandArgument(name: "milliseconds", type: .integer, token: "PX", since: "2.6.12"),
                    CommandArgument(name: "unix-time-seconds", type: .unixTime, token: "EXAT", since: "6.2.0"),
                    CommandArgument(name: "unix-time-milliseconds", type: .unixTime, token: "PXAT", since: "6.2.0"),
                    CommandArgument(name: "keepttl", type: .pureToken, token: "KEEPTTL", since: "6.0.0"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "setex", arity: 4, flags: [.write, .denyoom], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
            since: "2.0.0", group: "string",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "2.6.12",
            replacedBy: "`SET` with the `EX` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "seconds", type: .integer),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "setnx", arity: 3, flags: [.write, .denyoom, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ow, .insert], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Set the string value of a key only when the key doesn't exist.",
            since: "1.0.0", group: "string",
            complexity: "O(1)",
            docFlags: [.deprecated],
            deprecatedSince: "2.6.12",
            replacedBy: "`SET` with the `NX` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "setrange", arity: 4, flags: [.write, .denyoom], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
            since: "2.2.0", group: "string",
            complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "offset", type: .integer),
                CommandArgument(name: "value", type: .string),
            ]
        ),
        CommandMetadata(
            name: "shutdown", arity: -1, flags: [.admin, .noscript, .loading, .stale, .noMulti, .sentinel, .allowBusy],
            summary: "Synchronously saves the database(s) to disk and shuts down the server.",
            since: "1.0.0", group: "server",
            complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
            history: [
                ("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."),
            ],
            arguments: [
                CommandArgument(name: "abort-selector", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "save-selector-block", type: .block, arguments: [
                        CommandArgument(name: "save-selector", type: .oneof, flags: [.optional], arguments: [
                            CommandArgument(name: "nosave", type: .pureToken, token: "NOSAVE"),
                            CommandArgument(name: "save", type: .pureToken, token: "SAVE"),
                        ]),
                        CommandArgument(name: "now", type: .pureToken, token: "NOW", since: "7.0.0", flags: [.optional]),
                        CommandArgument(name: "force", type: .pureToken, token: "FORCE", since: "7.0.0", flags: [.optional]),
                    ]),
                    CommandArgument(name: "abort", type: .pureToken, token: "ABORT", since: "7.0.0"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "sinter", arity: -2, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the intersect of multiple sets.",
            since: "1.0.0", group: "set",
            complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sintercard", arity: -3, flags: [.readonly], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the number of members of the intersect of multiple sets.",
            since: "7.0.0", group: "set",
            complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "limit", type: .integer, token: "LIMIT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "sinterstore", arity: -3, flags: [.write, .denyoom], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Stores the intersect of multiple sets in a key.",
            since: "1.0.0", group: "set",
            complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sismember", arity: 3, flags: [.readonly, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Determines whether a member belongs to a set.",
            since: "1.0.0", group: "set",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string),
            ]
        ),
        CommandMetadata(
            name: "smembers", arity: 2, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns all members of a set.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the set cardinality.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "smismember", arity: -3, flags: [.readonly, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Determines whether multiple members belong to a set.",
            since: "6.2.0", group: "set",
            complexity: "O(N) where N is the number of elements being checked for membership",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "smove", arity: 4, flags: [.write, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.rw, .insert], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Moves a member from one set to another.",
            since: "1.0.0", group: "set",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "source", type: .key, keySpecIndex: 0),
                CommandArgument(name: "destination", type: .key, keySpecIndex: 1),
                CommandArgument(name: "member", type: .string),
            ]
        ),
        CommandMetadata(
            name: "spop", arity: -2, flags: [.write, .fast], categories: [.set], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
            since: "1.0.0", group: "set",
            complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
            history: [
                ("3.2.0", "Added the `count` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, since: "3.2.0", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "spublish", arity: 3, flags: [.pubsub, .loading, .stale, .fast, .mayReplicate],
            keySpecs: [
                KeySpec(flags: [.notKey], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Post a message to a shard channel",
            since: "7.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
            arguments: [
                CommandArgument(name: "shardchannel", type: .string),
                CommandArgument(name: "message", type: .string),
            ]
        ),
        CommandMetadata(
            name: "sql", arity: -2, flags: [.readonly],
            summary: "Runs one read-only SQL statement on the database and returns its rows.",
            since: "0.1.0", group: "server",
            complexity: "Depends on the statement; bounded by sql-timeout and sql-max-rows.",
            arguments: [
                CommandArgument(name: "query", type: .string),
                CommandArgument(name: "arg", type: .string, flags: [.optional, .multiple]),
            ]
        ),
        CommandMetadata(
            name: "srandmember", arity: -2, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Get one or multiple random members from a set",
            since: "1.0.0", group: "set",
            complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
            history: [
                ("2.6.0", "Added the optional `count` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, since: "2.6.0", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "srem", arity: -3, flags: [.write, .fast], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes one or more members from a set. Deletes the set if the last member was removed.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the number of members to be removed.",
            history: [
                ("2.4.0", "Accepts multiple `member` arguments."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sscan", arity: -3, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Iterates over members of a set.",
            since: "2.8.0", group: "set",
            complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "cursor", type: .integer),
                CommandArgument(name: "pattern", type: .pattern, token: "MATCH", flags: [.optional]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "ssubscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale],
            keySpecs: [
                KeySpec(flags: [.notKey], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Listens for messages published to shard channels.",
            since: "7.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of shard channels to subscribe to.",
            arguments: [
                CommandArgument(name: "shardchannel", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "strlen", arity: 2, flags: [.readonly, .fast], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the length of a string value.",
            since: "2.2.0", group: "string",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "subscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale, .sentinel],
            summary: "Listens for messages published to channels.",
            since: "2.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of channels to subscribe to.",
            arguments: [
                CommandArgument(name: "channel", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "substr", arity: 4, flags: [.readonly], categories: [.string],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns a substring from a string value.",
            since: "1.0.0", group: "string",
            complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
            docFlags: [.deprecated],
            deprecatedSince: "2.0.0",
            replacedBy: "`GETRANGE`",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "end", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "sunion", arity: -2, flags: [.readonly], categories: [.set], tips: ["nondeterministic_output_order"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the union of multiple sets.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the total number of elements in all given sets.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sunionstore", arity: -3, flags: [.write, .denyoom], categories: [.set],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Stores the union of multiple sets in a key.",
            since: "1.0.0", group: "set",
            complexity: "O(N) where N is the total number of elements in all given sets.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "sunsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale],
            keySpecs: [
                KeySpec(flags: [.notKey], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Stops listening to messages posted to shard channels.",
            since: "7.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of shard channels to unsubscribe.",
            arguments: [
                CommandArgument(name: "shardchannel", type: .string, flags: [.optional, .multiple]),
            ]
        ),
        CommandMetadata(
            name: "swapdb", arity: 3, flags: [.write, .fast], categories: [.keyspace, .dangerous],
            summary: "Swaps two databases.",
            since: "4.0.0", group: "server",
            complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
            arguments: [
                CommandArgument(name: "index1", type: .integer),
                CommandArgument(name: "index2", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "time", arity: 1, flags: [.loading, .stale, .fast], tips: ["nondeterministic_output"],
            summary: "Returns the server time.",
            since: "2.6.0", group: "server",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "touch", arity: -2, flags: [.readonly, .fast], categories: [.keyspace], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the number of existing keys out of those specified after updating the time they were last accessed.",
            since: "3.2.1", group: "generic",
            complexity: "O(N) where N is the number of keys that will be touched.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "ttl", arity: 2, flags: [.readonly, .fast], categories: [.keyspace], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the expiration time in seconds of a key.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            history: [
                ("2.8.0", "Added the -2 reply."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "type", arity: 2, flags: [.readonly, .fast], categories: [.keyspace],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Determines the type of value stored at a key.",
            since: "1.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "unlink", arity: -2, flags: [.write, .fast], categories: [.keyspace], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [
                KeySpec(flags: [.rm, .delete], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Asynchronously deletes one or more keys.",
            since: "4.0.0", group: "generic",
            complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "unsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale, .sentinel],
            summary: "Stops listening to messages posted to channels.",
            since: "2.0.0", group: "pubsub",
            complexity: "O(N) where N is the number of channels to unsubscribe.",
            arguments: [
                CommandArgument(name: "channel", type: .string, flags: [.optional, .multiple]),
            ]
        ),
        CommandMetadata(
            name: "unwatch", arity: 1, flags: [.noscript, .loading, .stale, .fast, .allowBusy], categories: [.transaction],
            summary: "Forgets about watched keys of a transaction.",
            since: "2.2.0", group: "transactions",
            complexity: "O(1)"
        ),
        CommandMetadata(
            name: "wait", arity: 3, flags: [.blocking], categories: [.connection], tips: ["request_policy:all_shards", "response_policy:agg_min"],
            summary: "Blocks until the asynchronous replication of all preceding write commands sent by the connection is completed.",
            since: "3.0.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "numreplicas", type: .integer),
                CommandArgument(name: "timeout", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "waitaof", arity: 4, flags: [.blocking], categories: [.connection], tips: ["request_policy:all_shards", "response_policy:agg_min"],
            summary: "Blocks until all of the preceding write commands sent by the connection are written to the append-only file of the primary and/or replicas.",
            since: "7.2.0", group: "generic",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "numlocal", type: .integer),
                CommandArgument(name: "numreplicas", type: .integer),
                CommandArgument(name: "timeout", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "watch", arity: -2, flags: [.noscript, .loading, .stale, .fast, .noMulti, .allowBusy], categories: [.transaction],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: -1, keyStep: 1, limit: 0)),
            ],
            summary: "Monitors changes to keys to determine the execution of a transaction.",
            since: "2.2.0", group: "transactions",
            complexity: "O(1) for every key.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "zadd", arity: -4, flags: [.write, .denyoom, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
            history: [
                ("2.4.0", "Accepts multiple elements."),
                ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."),
                ("6.2.0", "Added the `GT` and `LT` options."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "condition", type: .oneof, since: "3.0.2", flags: [.optional], arguments: [
                    CommandArgument(name: "nx", type: .pureToken, token: "NX"),
                    CommandArgument(name: "xx", type: .pureToken, token: "XX"),
                ]),
                CommandArgument(name: "comparison", type: .oneof, since: "6.2.0", flags: [.optional], arguments: [
                    CommandArgument(name: "gt", type: .pureToken, token: "GT"),
                    CommandArgument(name: "lt", type: .pureToken, token: "LT"),
                ]),
                CommandArgument(name: "change", type: .pureToken, token: "CH", since: "3.0.2", flags: [.optional]),
                CommandArgument(name: "increment", type: .pureToken, token: "INCR", since: "3.0.2", flags: [.optional]),
                CommandArgument(name: "data", type: .block, flags: [.multiple], arguments: [
                    CommandArgument(name: "score", type: .double),
                    CommandArgument(name: "member", type: .string),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zcard", arity: 2, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the number of members in a sorted set.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
            ]
        ),
        CommandMetadata(
            name: "zcount", arity: 4, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the count of members in a sorted set that have scores within a range.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .double),
                CommandArgument(name: "max", type: .double),
            ]
        ),
        CommandMetadata(
            name: "zdiff", arity: -3, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the difference between multiple sorted sets.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zdiffstore", arity: -4, flags: [.write, .denyoom], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Stores the difference of multiple sorted sets in a key.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "zincrby", arity: 4, flags: [.write, .denyoom, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Increments the score of a member in a sorted set.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(log(N)) where N is the number of elements in the sorted set.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "increment", type: .integer),
                CommandArgument(name: "member", type: .string),
            ]
        ),
        CommandMetadata(
            name: "zinter", arity: -3, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the intersect of multiple sorted sets.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "weight", type: .integer, token: "WEIGHTS", flags: [.optional, .multiple]),
                CommandArgument(name: "aggregate", type: .oneof, token: "AGGREGATE", flags: [.optional], arguments: [
                    CommandArgument(name: "sum", type: .pureToken, token: "SUM"),
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zintercard", arity: -3, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the number of members of the intersect of multiple sorted sets.",
            since: "7.0.0", group: "sorted-set",
            complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "limit", type: .integer, token: "LIMIT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zinterstore", arity: -4, flags: [.write, .denyoom], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Stores the intersect of multiple sorted sets in a key.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
                CommandArgument(name: "weight", type: .integer, token: "WEIGHTS", flags: [.optional, .multiple]),
                CommandArgument(name: "aggregate", type: .oneof, token: "AGGREGATE", flags: [.optional], arguments: [
                    CommandArgument(name: "sum", type: .pureToken, token: "SUM"),
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zlexcount", arity: 4, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the number of members in a sorted set within a lexicographical range.",
            since: "2.8.9", group: "sorted-set",
            complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .string),
                CommandArgument(name: "max", type: .string),
            ]
        ),
        CommandMetadata(
            name: "zmpop", arity: -4, flags: [.write], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
            since: "7.0.0", group: "sorted-set",
            complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "where", type: .oneof, arguments: [
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zmscore", arity: -3, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the score of one or more members in a sorted set.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(N) where N is the number of members being requested.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "zpopmax", arity: -2, flags: [.write, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
            since: "5.0.0", group: "sorted-set",
            complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zpopmin", arity: -2, flags: [.write, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .access, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
            since: "5.0.0", group: "sorted-set",
            complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "count", type: .integer, flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zrandmember", arity: -2, flags: [.readonly], categories: [.sortedset], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns one or more random members from a sorted set.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(N) where N is the number of members returned",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "options", type: .block, flags: [.optional], arguments: [
                    CommandArgument(name: "count", type: .integer),
                    CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrange", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a range of indexes.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
            history: [
                ("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .string),
                CommandArgument(name: "stop", type: .string),
                CommandArgument(name: "sortby", type: .oneof, since: "6.2.0", flags: [.optional], arguments: [
                    CommandArgument(name: "byscore", type: .pureToken, token: "BYSCORE"),
                    CommandArgument(name: "bylex", type: .pureToken, token: "BYLEX"),
                ]),
                CommandArgument(name: "rev", type: .pureToken, token: "REV", since: "6.2.0", flags: [.optional]),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", since: "6.2.0", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zrangebylex", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a lexicographical range.",
            since: "2.8.9", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`ZRANGE` with the `BYLEX` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .string),
                CommandArgument(name: "max", type: .string),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrangebyscore", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a range of scores.",
            since: "1.0.5", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`ZRANGE` with the `BYSCORE` argument",
            history: [
                ("2.0.0", "Added the `WITHSCORES` modifier."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .double),
                CommandArgument(name: "max", type: .double),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", since: "2.0.0", flags: [.optional]),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrangestore", arity: -5, flags: [.write, .denyoom], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Stores a range of members from sorted set in a key.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
            arguments: [
                CommandArgument(name: "dst", type: .key, keySpecIndex: 0),
                CommandArgument(name: "src", type: .key, keySpecIndex: 1),
                CommandArgument(name: "min", type: .string),
                CommandArgument(name: "max", type: .string),
                CommandArgument(name: "sortby", type: .oneof, flags: [.optional], arguments: [
                    CommandArgument(name: "byscore", type: .pureToken, token: "BYSCORE"),
                    CommandArgument(name: "bylex", type: .pureToken, token: "BYLEX"),
                ]),
                CommandArgument(name: "rev", type: .pureToken, token: "REV", flags: [.optional]),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrank", arity: -3, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the index of a member in a sorted set ordered by ascending scores.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(log(N))",
            history: [
                ("7.2.0", "Added the optional `WITHSCORE` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string),
                CommandArgument(name: "withscore", type: .pureToken, token: "WITHSCORE", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zrem", arity: -3, flags: [.write, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
            history: [
                ("2.4.0", "Accepts multiple elements."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string, flags: [.multiple]),
            ]
        ),
        CommandMetadata(
            name: "zremrangebylex", arity: 4, flags: [.write], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
            since: "2.8.9", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .string),
                CommandArgument(name: "max", type: .string),
            ]
        ),
        CommandMetadata(
            name: "zremrangebyrank", arity: 4, flags: [.write], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "stop", type: .integer),
            ]
        ),
        CommandMetadata(
            name: "zremrangebyscore", arity: 4, flags: [.write], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.rw, .delete], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "min", type: .double),
                CommandArgument(name: "max", type: .double),
            ]
        ),
        CommandMetadata(
            name: "zrevrange", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a range of indexes in reverse order.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`ZRANGE` with the `REV` argument",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "start", type: .integer),
                CommandArgument(name: "stop", type: .integer),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zrevrangebylex", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a lexicographical range in reverse order.",
            since: "2.8.9", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`ZRANGE` with the `REV` and `BYLEX` arguments",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "max", type: .string),
                CommandArgument(name: "min", type: .string),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrevrangebyscore", arity: -4, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns members in a sorted set within a range of scores in reverse order.",
            since: "2.2.0", group: "sorted-set",
            complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            docFlags: [.deprecated],
            deprecatedSince: "6.2.0",
            replacedBy: "`ZRANGE` with the `REV` and `BYSCORE` arguments",
            history: [
                ("2.1.6", "`min` and `max` can be exclusive."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "max", type: .double),
                CommandArgument(name: "min", type: .double),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
                CommandArgument(name: "limit", type: .block, token: "LIMIT", flags: [.optional], arguments: [
                    CommandArgument(name: "offset", type: .integer),
                    CommandArgument(name: "count", type: .integer),
                ]),
            ]
        ),
        CommandMetadata(
            name: "zrevrank", arity: -3, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the index of a member in a sorted set ordered by descending scores.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(log(N))",
            history: [
                ("7.2.0", "Added the optional `WITHSCORE` argument."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string),
                CommandArgument(name: "withscore", type: .pureToken, token: "WITHSCORE", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zscan", arity: -3, flags: [.readonly], categories: [.sortedset], tips: ["nondeterministic_output"],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Iterates over members and scores of a sorted set.",
            since: "2.8.0", group: "sorted-set",
            complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
            history: [
                ("8.0.0", "Added noscores option."),
            ],
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "cursor", type: .integer),
                CommandArgument(name: "pattern", type: .pattern, token: "MATCH", flags: [.optional]),
                CommandArgument(name: "count", type: .integer, token: "COUNT", flags: [.optional]),
                CommandArgument(name: "noscores", type: .pureToken, token: "NOSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zscore", arity: 3, flags: [.readonly, .fast], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
            ],
            summary: "Returns the score of a member in a sorted set.",
            since: "1.2.0", group: "sorted-set",
            complexity: "O(1)",
            arguments: [
                CommandArgument(name: "key", type: .key, keySpecIndex: 0),
                CommandArgument(name: "member", type: .string),
            ]
        ),
        CommandMetadata(
            name: "zunion", arity: -3, flags: [.readonly], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ro, .access], beginSearch: .index(1), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Returns the union of multiple sorted sets.",
            since: "6.2.0", group: "sorted-set",
            complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
            arguments: [
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 0, flags: [.multiple]),
                CommandArgument(name: "weight", type: .integer, token: "WEIGHTS", flags: [.optional, .multiple]),
                CommandArgument(name: "aggregate", type: .oneof, token: "AGGREGATE", flags: [.optional], arguments: [
                    CommandArgument(name: "sum", type: .pureToken, token: "SUM"),
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
                CommandArgument(name: "withscores", type: .pureToken, token: "WITHSCORES", flags: [.optional]),
            ]
        ),
        CommandMetadata(
            name: "zunionstore", arity: -4, flags: [.write, .denyoom], categories: [.sortedset],
            keySpecs: [
                KeySpec(flags: [.ow, .update], beginSearch: .index(1), findKeys: .range(lastKey: 0, keyStep: 1, limit: 0)),
                KeySpec(flags: [.ro, .access], beginSearch: .index(2), findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1)),
            ],
            summary: "Stores the union of multiple sorted sets in a key.",
            since: "2.0.0", group: "sorted-set",
            complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
            arguments: [
                CommandArgument(name: "destination", type: .key, keySpecIndex: 0),
                CommandArgument(name: "numkeys", type: .integer),
                CommandArgument(name: "key", type: .key, keySpecIndex: 1, flags: [.multiple]),
                CommandArgument(name: "weight", type: .integer, token: "WEIGHTS", flags: [.optional, .multiple]),
                CommandArgument(name: "aggregate", type: .oneof, token: "AGGREGATE", flags: [.optional], arguments: [
                    CommandArgument(name: "sum", type: .pureToken, token: "SUM"),
                    CommandArgument(name: "min", type: .pureToken, token: "MIN"),
                    CommandArgument(name: "max", type: .pureToken, token: "MAX"),
                ]),
            ]
        ),
    ]
}
