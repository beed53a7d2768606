import Keyspace
import RESP

/// Commands on keys regardless of their type: DEL, EXISTS, TYPE, KEYS, SCAN,
/// RANDOMKEY, RENAME, COPY, MOVE, TOUCH.
enum KeyCommands {
    static let handlers: [String: CommandHandler] = [
        "del": del, "unlink": del, "exists": exists, "type": type, "keys": keys, "scan": scan,
        "randomkey": randomkey, "rename": rename, "renamenx": renamenx, "copy": copy, "move": move,
        "touch": touch,
    ]

    static func del(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        var deleted = 0
        for index in 1..<context.count where database.delete(context[index]) {
            deleted += 1
            KeyspaceNotifications.notify(context, .generic, "del", context[index])
        }
        context.reply.writeInteger(deleted)
    }

    static func exists(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        var found = 0
        for index in 1..<context.count where database.lookup(context[index]) != nil {
            found += 1
        }
        context.reply.writeInteger(found)
    }

    static func touch(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        var found = 0
        for index in 1..<context.count where database.lookupForRead(context[index]) != nil {
            found += 1
        }
        context.reply.writeInteger(found)
    }

    static func type(_ context: CommandContext) throws(CommandError) {
        if let node = context.database.lookup(context[1]) {
            context.reply.writeSimpleString(node.value.value.typeName)
        } else {
            context.reply.writeSimpleString("none")
        }
    }

    static func keys(_ context: CommandContext) throws(CommandError) {
        let keys = context.database.keys(matching: GlobPattern(context[1]))
        context.reply.writeBulkStringArray(keys)
    }

    /// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    static func scan(_ context: CommandContext) throws(CommandError) {
        let arguments = try ScanArguments.parse(context, cursorIndex: 1, extra: .type)
        let (next, keys) = context.database.scan(
            cursor: arguments.cursor, count: arguments.count, pattern: arguments.pattern, type: arguments.type)
        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString(String(next))
        context.reply.writeBulkStringArray(keys)
    }

    static func randomkey(_ context: CommandContext) throws(CommandError) {
        if let key = context.database.randomKey() {
            context.reply.writeBulkString(key)
        } else {
            context.reply.writeNull()
        }
    }

    static func rename(_ context: CommandContext) throws(CommandError) {
        guard context.database.lookup(context[1]) != nil else { throw .noSuchKey }
        if context[1] != context[2] {
            context.keyspace.rename(in: context.client.database, from: context[1], to: context[2])
            notifyRename(context)
        }
        context.reply.writeOK()
    }

    static func renamenx(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        guard database.lookup(context[1]) != nil else { throw .noSuchKey }
        if context[1] == context[2] || database.lookup(context[2]) != nil {
            return context.reply.writeInteger(0)
        }
        context.keyspace.rename(in: context.client.database, from: context[1], to: context[2])
        notifyRename(context)
        context.reply.writeInteger(1)
    }

    private static func notifyRename(_ context: CommandContext) {
        KeyspaceNotifications.notify(context, .generic, "rename_from", context[1])
        KeyspaceNotifications.notify(context, .generic, "rename_to", context[2])
    }

    /// COPY source destination [DB destination-db] [REPLACE]
    static func copy(_ context: CommandContext) throws(CommandError) {
        var targetDb = context.client.database
        var replace = false
        var index = 3
        while index < context.count {
            if context.isToken(index, "REPLACE") {
                replace = true
            } else if context.isToken(index, "DB") && index + 1 < context.count {
                targetDb = try context.integer(at: index + 1)
                guard targetDb >= 0 && targetDb < context.keyspace.databases.count else {
                    throw .invalidDatabaseIndex
                }
                index += 1
            } else {
                throw .syntax
            }
            index += 1
        }
        if targetDb == context.client.database && context[1] == context[2] {
            throw CommandError("ERR source and destination objects are the same")
        }
        guard context.database.lookup(context[1]) != nil else { return context.reply.writeInteger(0) }
        if context.keyspace[targetDb].lookup(context[2]) != nil && !replace {
            return context.reply.writeInteger(0)
        }
        context.keyspace.copy(from: context[1], in: context.client.database, to: context[2], in: targetDb)
        KeyspaceNotifications.notify(context, .generic, "copy_to", context[2], db: targetDb)
        context.reply.writeInteger(1)
    }

    static func move(_ context: CommandContext) throws(CommandError) {
        let targetDb = try context.integer(at: 2)
        guard targetDb >= 0 && targetDb < context.keyspace.databases.count else { throw .invalidDatabaseIndex }
        guard targetDb != context.client.database else {
            throw CommandError("ERR source and destination objects are the same")
        }
        guard context.database.lookup(context[1]) != nil,
              context.keyspace[targetDb].lookup(context[1]) == nil else {
            return context.reply.writeInteger(0)
        }
        context.keyspace.move(key: context[1], from: context.client.database, to: targetDb)
        KeyspaceNotifications.notify(context, .generic, "move_from", context[1])
        KeyspaceNotifications.notify(context, .generic, "move_to", context[1], db: targetDb)
        context.reply.writeInteger(1)
    }
}
