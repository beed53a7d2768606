import DequeModule
import Keyspace
import RESP

/// The list command family (Valkey's t_list.c), blocking forms excluded.
///
/// Every mutation is recorded element by element in the order it happens:
/// pushes as `.listPush`, pops and trims as one `.listTrim` per command, and a
/// list whose last element goes is deleted (`removeEmpty`) instead.
enum ListCommands {
    static let handlers: [String: CommandHandler] = [
        "lpush": lpush, "rpush": rpush, "lpushx": lpushx, "rpushx": rpushx,
        "lpop": lpop, "rpop": rpop, "llen": llen, "lrange": lrange, "lindex": lindex,
        "lset": lset, "linsert": linsert, "lrem": lrem, "ltrim": ltrim, "lpos": lpos,
        "lmove": lmove, "rpoplpush": rpoplpush, "lmpop": lmpop,
    ]

    static let mustBePositive = CommandError("ERR value is out of range, must be positive")
    /// `getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)`: LONG_MIN cannot be negated.
    static let notMinimumLong = CommandError(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    static let rankZero = CommandError(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")

    // MARK: lookups

    /// `list-max-listpack-size` (default -2: 8 KB per node).
    static func fill(_ context: CommandContext) -> Int {
        context.server.config.encodingLimits.listMaxListpackSize
    }

    /// The list at `key` for a write; nil when absent.
    static func writableList(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) -> (Database.Node, ListValue)? {
        guard let node = context.database.lookup(key) else { return nil }
        guard case .list(let list) = node.value.value else { throw .wrongType }
        return (node, list)
    }

    /// The list at `key` for a read (counts keyspace hits and misses); nil when absent.
    static func readableList(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) -> ListValue? {
        guard let node = context.database.lookupForRead(key, touch: !context.client.noTouch) else {
            context.server.stats.keyspaceMisses += 1
            return nil
        }
        context.server.stats.keyspaceHits += 1
        guard case .list(let list) = node.value.value else { throw .wrongType }
        return list
    }

    /// After elements were removed: delete an emptied list, otherwise record the
    /// trim (when there is one) and let a small quicklist become a listpack again.
    /// Returns true when the list was emptied and its key deleted.
    @discardableResult
    static func finishRemoval(_ context: CommandContext, _ node: Database.Node, _ list: ListValue, head: Int, tail: Int) -> Bool {
        let database = context.database
        if list.isEmpty {
            database.removeEmpty(node)
            return true
        }
        if head > 0 || tail > 0 {
            database.record(.listTrim(db: database.index, key: node.key.bytes, head: head, tail: tail))
        }
        list.convertAfterShrink(fill: fill(context))
        return false
    }

    /// The pop event of a list, then `del` when the pop emptied it.
    static func notifyPop(_ context: CommandContext, _ key: [UInt8], fromHead: Bool, emptied: Bool) {
        KeyspaceNotifications.notify(context, .list, fromHead ? "lpop" : "rpop", key)
        if emptied { KeyspaceNotifications.notify(context, .generic, "del", key) }
    }

    /// Turns a possibly negative index into an offset from the head; nil when outside the list.
    static func offset(_ index: Int, count: Int) -> Int? {
        let offset = index < 0 ? count + index : index
        return offset >= 0 && offset < count ? offset : nil
    }

    /// LEFT / RIGHT (`getListPositionFromObjectOrReply`): true for the head.
    static func position(_ context: CommandContext, _ index: Int) throws(CommandError) -> Bool {
        if context.isToken(index, "LEFT") { return true }
        if context.isToken(index, "RIGHT") { return false }
        throw .syntax
    }

    // MARK: push

    static func lpush(_ context: CommandContext) throws(CommandError) { try push(context, atHead: true, onlyIfExists: false) }
    static func rpush(_ context: CommandContext) throws(CommandError) { try push(context, atHead: false, onlyIfExists: false) }
    static func lpushx(_ context: CommandContext) throws(CommandError) { try push(context, atHead: true, onlyIfExists: true) }
    static func rpushx(_ context: CommandContext) throws(CommandError) { try push(context, atHead: false, onlyIfExists: true) }

    static func push(_ context: CommandContext, atHead: Bool, onlyIfExists: Bool) throws(CommandError) {
        let key = context[1]
        let database = context.database
        let list: ListValue
        if let (_, existing) = try writableList(context, key) {
            list = existing
        } else {
            if onlyIfExists { return context.reply.writeInteger(0) }
            list = ListValue()
            database.create(key, .list(list))
        }
        var addedBytes = 0
        for index in 2..<context.count { addedBytes += context[index].count }
        list.convertBeforeGrowth(fill: fill(context), addedBytes: addedBytes, addedCount: context.count - 2)
        for index in 2..<context.count {
            let value = context[index]
            if atHead { list.pushFront(value) } else { list.pushBack(value) }
            database.record(.listPush(db: database.index, key: key, atHead: atHead, value: value))
        }
        KeyspaceNotifications.notify(context, .list, atHead ? "lpush" : "rpush", key)
        context.reply.writeInteger(list.count)
    }

    // MARK: pop

    static func lpop(_ context: CommandContext) throws(CommandError) { try pop(context, fromHead: true) }
    static func rpop(_ context: CommandContext) throws(CommandError) { try pop(context, fromHead: false) }

    /// LPOP/RPOP key [count]: a bulk string without count, an array with one
    /// (null array when the key is missing, empty array for count 0).
    static func pop(_ context: CommandContext, fromHead: Bool) throws(CommandError) {
        guard context.count <= 3 else { throw .wrongArity(fromHead ? "lpop" : "rpop") }
        var count: Int? = nil
        if context.count == 3 {
            guard let parsed = parseInteger(context[2]), parsed >= 0 else { throw mustBePositive }
            count = parsed
        }
        guard let (node, list) = try writableList(context, context[1]) else {
            if count == nil { context.reply.writeNull() } else { context.reply.writeNullArray() }
            return
        }
        guard let count else {
            let value = fromHead ? list.popFront() : list.popBack()
            context.reply.writeBulkString(value)
            let emptied = finishRemoval(context, node, list, head: fromHead ? 1 : 0, tail: fromHead ? 0 : 1)
            return notifyPop(context, context[1], fromHead: fromHead, emptied: emptied)
        }
        if count == 0 { return context.reply.writeArrayHeader(0) }
        popRange(context, node, list, fromHead: fromHead, count: count)
    }

    /// Replies with up to `count` elements from one end (the tail's in tail-first
    /// order), removes them and records it. Returns how many were popped.
    @discardableResult
    static func popRange(_ context: CommandContext, _ node: Database.Node, _ list: ListValue, fromHead: Bool, count: Int) -> Int {
        let taken = min(count, list.count)
        context.reply.writeArrayHeader(taken)
        do {
            // Scoped: a copy of the deque still alive at the trim would make it copy-on-write.
            let elements = list.elements
            let last = elements.count - 1
            for index in 0..<taken { context.reply.writeBulkString(elements[fromHead ? index : last - index]) }
        }
        list.trim(head: fromHead ? taken : 0, tail: fromHead ? 0 : taken)
        let key = context.server.pubsub.keyspaceEventFlags != 0 ? node.key.bytes : []
        let emptied = finishRemoval(context, node, list, head: fromHead ? taken : 0, tail: fromHead ? 0 : taken)
        notifyPop(context, key, fromHead: fromHead, emptied: emptied)
        return taken
    }

    /// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
    static func lmpop(_ context: CommandContext) throws(CommandError) {
        guard let numkeys = parseInteger(context[1]), numkeys >= 1 else {
            throw CommandError("ERR numkeys should be greater than 0")
        }
        // The LEFT|RIGHT argument follows the keys.
        guard numkeys < context.count - 2 else { throw .syntax }
        let whereIndex = 2 + numkeys
        let fromHead = try position(context, whereIndex)
        var count = -1
        var index = whereIndex + 1
        while index < context.count {
            if count == -1 && context.isToken(index, "COUNT") && index + 1 < context.count {
                guard let parsed = parseInteger(context[index + 1]), parsed >= 1 else {
                    throw CommandError("ERR count should be greater than 0")
                }
                count = parsed
                index += 2
            } else {
                throw .syntax
            }
        }
        if count == -1 { count = 1 }
        for keyIndex in 2..<whereIndex {
            guard let (node, list) = try writableList(context, context[keyIndex]), !list.isEmpty else { continue }
            context.reply.writeArrayHeader(2)
            context.reply.writeBulkString(context[keyIndex])
            popRange(context, node, list, fromHead: fromHead, count: count)
            return
        }
        context.reply.writeNullArray()
    }

    // MARK: reads

    static func llen(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try readableList(context, context[1])?.count ?? 0)
    }

    static func lrange(_ context: CommandContext) throws(CommandError) {
        let start = try context.integer(at: 2)
        let end = try context.integer(at: 3)
        guard let list = try readableList(context, context[1]) else { return context.reply.writeArrayHeader(0) }
        guard let range = clampRange(start, end, count: list.count) else { return context.reply.writeArrayHeader(0) }
        let elements = list.elements
        context.reply.writeArrayHeader(range.count)
        for index in range { context.reply.writeBulkString(elements[index]) }
    }

    /// Valkey's range rules (LRANGE, LTRIM): negative indices count from the
    /// tail, the start is clamped to 0 and the end to the last element; nil
    /// when the range is empty.
    static func clampRange(_ start: Int, _ end: Int, count: Int) -> ClosedRange<Int>? {
        var start = start < 0 ? count + start : start
        var end = end < 0 ? count + end : end
        if start < 0 { start = 0 }
        if start > end || start >= count { return nil }
        if end >= count { end = count - 1 }
        return start...end
    }

    static func lindex(_ context: CommandContext) throws(CommandError) {
        guard let list = try readableList(context, context[1]) else { return context.reply.writeNull() }
        let index = try context.integer(at: 2)
        if let offset = offset(index, count: list.count) {
            context.reply.writeBulkString(list.elements[offset])
        } else {
            context.reply.writeNull()
        }
    }

    /// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    static func lpos(_ context: CommandContext) throws(CommandError) {
        var rank = 1
        var count = -1  // -1: no COUNT option (a single integer or null reply)
        var maxlen = 0
        var index = 3
        while index < context.count {
            let hasValue = index + 1 < context.count
            if context.isToken(index, "RANK") && hasValue {
                rank = try context.integer(at: index + 1)
                if rank == Int.min { throw notMinimumLong }
                if rank == 0 { throw rankZero }
            } else if context.isToken(index, "COUNT") && hasValue {
                guard let parsed = parseInteger(context[index + 1]), parsed >= 0 else {
                    throw CommandError("ERR COUNT can't be negative")
                }
                count = parsed
            } else if context.isToken(index, "MAXLEN") && hasValue {
                guard let parsed = parseInteger(context[index + 1]), parsed >= 0 else {
                    throw CommandError("ERR MAXLEN can't be negative")
                }
                maxlen = parsed
            } else {
                throw .syntax
            }
            index += 2
        }
        guard let list = try readableList(context, context[1]) else {
            if count != -1 { context.reply.writeArrayHeader(0) } else { context.reply.writeNull() }
            return
        }
        let fromTail = rank < 0
        if fromTail { rank = -rank }
        let element = context[2]
        let elements = list.elements
        let length = elements.count
        let scanned = maxlen == 0 ? length : min(maxlen, length)
        var matches = 0
        var found: [Int] = []
        for step in 0..<scanned {
            let position = fromTail ? length - 1 - step : step
            guard elements[position] == element else { continue }
            matches += 1
            guard matches >= rank else { continue }
            found.append(position)
            if count == -1 || (count != 0 && matches - rank + 1 >= count) { break }
        }
        if count == -1 {
            if let first = found.first { context.reply.writeInteger(first) } else { context.reply.writeNull() }
        } else {
            context.reply.writeArrayHeader(found.count)
            for position in found { context.reply.writeInteger(position) }
        }
    }

    // MARK: in-place edits

    static func lset(_ context: CommandContext) throws(CommandError) {
        guard let (node, list) = try writableList(context, context[1]) else { throw .noSuchKey }
        let index = try context.integer(at: 2)
        let value = context[3]
        let fill = fill(context)
        // As Valkey: the growth check runs before the index is known to be valid.
        list.convertBeforeGrowth(fill: fill, addedBytes: value.count, addedCount: 1)
        guard let offset = offset(index, count: list.count) else { throw .outOfRange }
        list.replace(at: offset, with: value)
        let database = context.database
        database.record(.listSet(db: database.index, key: node.key.bytes, index: offset, value: value))
        list.convertAfterShrink(fill: fill)
        KeyspaceNotifications.notify(context, .list, "lset", context[1])
        context.reply.writeOK()
    }

    /// LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the
    /// pivot, 0 without the key.
    static func linsert(_ context: CommandContext) throws(CommandError) {
        let after: Bool
        if context.isToken(2, "AFTER") {
            after = true
        } else if context.isToken(2, "BEFORE") {
            after = false
        } else {
            throw .syntax
        }
        guard let (node, list) = try writableList(context, context[1]) else { return context.reply.writeInteger(0) }
        let value = context[4]
        // As Valkey: converted up front, even when the pivot turns out missing.
        list.convertBeforeGrowth(fill: fill(context), addedBytes: value.count, addedCount: 1)
        let pivot = context[3]
        guard let found = list.elements.firstIndex(of: pivot) else { return context.reply.writeInteger(-1) }
        let position = after ? found + 1 : found
        list.insert(value, at: position)
        let database = context.database
        database.record(.listInsert(db: database.index, key: node.key.bytes, index: position, value: value))
        KeyspaceNotifications.notify(context, .list, "linsert", context[1])
        context.reply.writeInteger(list.count)
    }

    /// LREM key count element: count > 0 from the head, < 0 from the tail, 0 all.
    static func lrem(_ context: CommandContext) throws(CommandError) {
        var toRemove = try context.integer(at: 2)
        if toRemove == Int.min { throw notMinimumLong }
        guard let (node, list) = try writableList(context, context[1]) else { return context.reply.writeInteger(0) }
        let element = context[3]
        let fromTail = toRemove < 0
        if fromTail { toRemove = -toRemove }
        // Original positions of the removed elements, in removal order.
        var removed: [Int] = []
        let length = list.count
        do {
            // Scoped: a copy of the deque still alive at the removal would make it copy-on-write.
            let elements = list.elements
            if fromTail {
                var position = elements.count - 1
                while position >= 0 && (toRemove == 0 || removed.count < toRemove) {
                    if elements[position] == element { removed.append(position) }
                    position -= 1
                }
            } else {
                var position = 0
                while position < elements.count && (toRemove == 0 || removed.count < toRemove) {
                    if elements[position] == element { removed.append(position) }
                    position += 1
                }
            }
        }
        guard !removed.isEmpty else { return context.reply.writeInteger(0) }
        let database = context.database
        let key = node.key.bytes
        let emptied = removed.count == length
        if !emptied {
            // Each index as of its removal: from the head, every earlier removal
            // shifted it up by one; from the tail, later positions never move
            // the earlier ones.
            for (order, position) in removed.enumerated() {
                let index = fromTail ? position : position - order
                database.record(.listRemove(db: database.index, key: key, index: index))
            }
        }
        list.remove(atSortedOffsets: fromTail ? removed.reversed() : removed)
        finishRemoval(context, node, list, head: 0, tail: 0)
        KeyspaceNotifications.notify(context, .list, "lrem", context[1])
        if emptied { KeyspaceNotifications.notify(context, .generic, "del", context[1]) }
        context.reply.writeInteger(removed.count)
    }

    static func ltrim(_ context: CommandContext) throws(CommandError) {
        let start = try context.integer(at: 2)
        let end = try context.integer(at: 3)
        guard let (node, list) = try writableList(context, context[1]) else { return context.reply.writeOK() }
        let length = list.count
        let head: Int
        let tail: Int
        if let range = clampRange(start, end, count: length) {
            head = range.lowerBound
            tail = length - range.upperBound - 1
        } else {
            head = length
            tail = 0
        }
        var emptied = false
        if head > 0 || tail > 0 {
            list.trim(head: head, tail: tail)
            emptied = finishRemoval(context, node, list, head: head, tail: tail)
        }
        KeyspaceNotifications.notify(context, .list, "ltrim", context[1])
        if emptied { KeyspaceNotifications.notify(context, .generic, "del", context[1]) }
        context.reply.writeOK()
    }

    // MARK: moves

    /// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
    static func lmove(_ context: CommandContext) throws(CommandError) {
        let fromHead = try position(context, 3)
        let toHead = try position(context, 4)
        try move(context, fromHead: fromHead, toHead: toHead)
    }

    static func rpoplpush(_ context: CommandContext) throws(CommandError) {
        try move(context, fromHead: false, toHead: true)
    }

    /// Pops from the source and pushes onto the destination (which may be the
    /// same list: a rotation), replying with the element or null.
    static func move(_ context: CommandContext, fromHead: Bool, toHead: Bool) throws(CommandError) {
        let sourceKey = context[1]
        let destinationKey = context[2]
        guard let (sourceNode, source) = try writableList(context, sourceKey), !source.isEmpty else {
            return context.reply.writeNull()
        }
        let destination = try writableList(context, destinationKey)?.1
        let database = context.database
        let fill = fill(context)
        let value = fromHead ? source.popFront() : source.popBack()
        let (head, tail) = fromHead ? (1, 0) : (0, 1)
        let target: ListValue
        var emptied = false
        if let destination, destination === source {
            // A rotation: the push refills the list, so a one-element list
            // is trimmed and pushed to, never deleted.
            database.record(.listTrim(db: database.index, key: sourceKey, head: head, tail: tail))
            target = source
        } else {
            emptied = finishRemoval(context, sourceNode, source, head: head, tail: tail)
            if let destination {
                target = destination
            } else {
                target = ListValue()
                database.create(destinationKey, .list(target))
            }
        }
        target.convertBeforeGrowth(fill: fill, addedBytes: value.count, addedCount: 1)
        if toHead { target.pushFront(value) } else { target.pushBack(value) }
        database.record(.listPush(db: database.index, key: destinationKey, atHead: toHead, value: value))
        if target === source { source.convertAfterShrink(fill: fill) }
        // As Valkey's lmoveGenericCommand: the push event, then the pop event (and `del`).
        KeyspaceNotifications.notify(context, .list, toHead ? "lpush" : "rpush", destinationKey)
        notifyPop(context, sourceKey, fromHead: fromHead, emptied: emptied)
        context.reply.writeBulkString(value)
    }
}
