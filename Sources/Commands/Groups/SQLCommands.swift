import Keyspace
import NIOCore
import RESP

/// Read-only SQL on the server's database, off the event loops (implemented
/// over Storage's `ReadOnlyQueries` by the executable).
public protocol SQLHost: AnyObject {
    /// Runs `request` on the query thread, after the tables caught up with
    /// every write submitted so far; `completion` runs on that thread.
    func query(_ request: SQLRequest, completion: @escaping (Result<SQLRows, SQLFailure>) -> Void)
    /// The same on the calling thread (where the client cannot wait: MULTI/EXEC).
    func queryNow(_ request: SQLRequest) -> Result<SQLRows, SQLFailure>
}

/// `SQL query [arg ...]`: one read-only statement on the database, its `?`
/// placeholders bound to the arguments. The client waits off the event loop
/// (its later commands held back, as behind BLPOP) while others carry on.
///
/// Reply: RESP2 an array whose first element is the array of column names,
/// then one array per row; RESP3 an array of maps (column → value). INTEGER →
/// integer, REAL → double (RESP2: bulk string as Valkey formats doubles),
/// TEXT and BLOB → bulk string, NULL → null.
enum SQLCommands {
    static let handlers: [String: CommandHandler] = ["sql": sql]

    static func sql(_ context: CommandContext) throws(CommandError) {
        let config = context.server.config
        // Arguments are bound as keys are stored (TEXT, or BLOB when not UTF-8):
        // `WHERE key = ?` matches, and `?` compared with a number is text.
        let request = SQLRequest(
            sql: context[1], parameters: context.arguments.dropFirst(2).map { .bytes($0) },
            timeoutMilliseconds: config.sqlTimeout, maxRows: config.sqlMaxRows)
        try run(context, request) { result, reply in
            writeRows(result, into: &reply)
        }
    }

    /// Runs `request` and replies with what `write` makes of its rows, or with
    /// the failure. Off the event loop when the client can wait (the reply is
    /// written on the query thread into a buffer of its own), else now.
    static func run(_ context: CommandContext, _ request: SQLRequest,
                    write: @escaping (SQLRows, inout ReplyWriter) -> Void) throws(CommandError) {
        guard let host = context.server.sql else {
            throw CommandError("ERR SQL is not available: the server runs without a database")
        }
        let version = context.client.protocolVersion
        let waiting = context.server.blockedClients?.waitForBackgroundWork(context) { done in
            host.query(request) { outcome in
                var reply = ReplyWriter(buffer: ByteBufferAllocator().buffer(capacity: 256), version: version)
                switch outcome {
                case .success(let rows):
                    write(rows, &reply)
                    done(BackgroundReply(buffer: reply.buffer, error: nil))
                case .failure(let failure):
                    reply.writeError(failure.message)
                    done(BackgroundReply(buffer: reply.buffer, error: failure.message))
                }
            }
        } ?? false
        guard !waiting else { return }
        switch host.queryNow(request) {
        case .success(let rows): write(rows, &context.reply)
        case .failure(let failure): throw CommandError(failure.message)
        }
    }

    static func writeRows(_ result: SQLRows, into reply: inout ReplyWriter) {
        if reply.version == .resp3 {
            reply.writeArrayHeader(result.rows.count)
            for row in result.rows {
                reply.writeMapHeader(row.count)
                for (column, value) in zip(result.columns, row) {
                    reply.writeBulkString(column)
                    writeValue(value, into: &reply)
                }
            }
        } else {
            reply.writeArrayHeader(result.rows.count + 1)
            reply.writeArrayHeader(result.columns.count)
            for column in result.columns { reply.writeBulkString(column) }
            for row in result.rows {
                reply.writeArrayHeader(row.count)
                for value in row { writeValue(value, into: &reply) }
            }
        }
    }

    static func writeValue(_ value: SQLValue, into reply: inout ReplyWriter) {
        switch value {
        case .null: reply.writeNull()
        case .integer(let number): reply.writeInteger(number)
        case .real(let number): reply.writeDouble(number)
        case .text(let bytes), .blob(let bytes): reply.writeBulkString(bytes)
        }
    }
}
