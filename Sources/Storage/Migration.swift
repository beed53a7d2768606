/// One schema migration, from `migrations/NNNN_name.sql`. The SQL files are the
/// only definition of the schema; `Generated/EmbeddedMigrations.swift` embeds
/// them at build time (`python3 migrations/embed.py`).
struct Migration: Equatable, Sendable {
    let version: Int
    let name: String
    let sql: String

    /// The newest schema version this binary knows.
    static var latestVersion: Int { embedded.last?.version ?? 0 }
}

/// Applies pending migrations. The applied version is `PRAGMA user_version`
/// (stored in the database header, changed transactionally with the schema).
enum Migrator {
    /// Brings the database up to the newest of `migrations`, applying every
    /// pending one in version order inside one transaction: either all apply or
    /// none does. Refuses a database whose version is newer than any of them.
    @discardableResult
    static func migrate(_ connection: SQLiteConnection,
                        migrations: [Migration] = Migration.embedded) throws -> (from: Int, to: Int) {
        let latest = migrations.last?.version ?? 0
        return try connection.transaction {
            let current = Int(try connection.scalar("PRAGMA user_version"))
            if current > latest {
                throw StorageError(
                    kind: .schemaTooNew,
                    message: "the database schema is version \(current), newer than this binary supports "
                        + "(\(latest)); it was written by a newer Valkite: upgrade, or restore an older file",
                    context: connection.path)
            }
            for migration in migrations where migration.version > current {
                do {
                    try connection.exec(migration.sql)
                    try connection.exec("PRAGMA user_version = \(migration.version)")
                } catch var error as StorageError {
                    error.context = "migration \(migration.version) (\(migration.name))"
                    throw error
                }
            }
            return (current, max(current, latest))
        }
    }

    /// The schema version recorded in the database.
    static func version(of connection: SQLiteConnection) throws -> Int {
        Int(try connection.scalar("PRAGMA user_version"))
    }
}
