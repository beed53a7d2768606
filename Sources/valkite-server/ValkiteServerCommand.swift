import ArgumentParser
import Commands
import Dispatch
import Logging
import Server
import Storage
import Keyspace
#if canImport(Glibc)
import Glibc
#endif

/// `valkite-server [config-file] [--name value …]`, as valkey-server is invoked,
/// so a compose file's `command:` line works unchanged.
@main
struct ValkiteServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valkite-server",
        abstract: "A Valkey-compatible server that keeps its data in SQLite.",
        discussion: """
            Any configuration parameter can be given as a flag (--port 6380 --requirepass secret), \
            in a config file in valkey.conf syntax (first argument), or in the environment \
            (VALKEY_PORT, VALKEY_PASSWORD, VALKEY_HOST, VALKEY_<PARAMETER>, also read from ./.env). \
            Precedence: defaults < file < environment < flags.
            """,
        version: "valkite \(Version.valkite) (Valkey \(Version.valkey) compatible)")

    @Option(name: .customLong("restore"), help: ArgumentHelp(
        "Check FILE (a BGSAVE snapshot or the database of a stopped server) and make it the database before starting.",
        discussion: "The replaced database is moved to <dir>/backups/before-restore-<unix-ms>.db.",
        valueName: "file"))
    var restore: String?

    @Flag(name: .customLong("restore-only"), help: "With --restore: exit after restoring instead of serving.")
    var restoreOnly = false

    @Argument(parsing: .allUnrecognized, help: "An optional config file, then --name value pairs.")
    var arguments: [String] = []

    mutating func run() throws {
        var flags = arguments
        var configFile: String? = nil
        if let first = flags.first, !first.hasPrefix("--") {
            configFile = first
            flags.removeFirst()
        }
        let config: ServerConfig
        do {
            config = try ConfigurationLoader.load(
                configFile: configFile,
                environment: currentEnvironment(),
                dotEnv: ConfigurationLoader.readFile(".env"),
                flags: flags)
        } catch {
            fputs("\n*** FATAL CONFIG FILE ERROR ***\n\(error)\n", stderr)
            throw ExitCode(1)
        }

        let handler = try ValkeyLogHandler(logfile: config.logfile, level: ValkeyLogHandler.level(for: config.loglevel))
        LoggingSystem.bootstrap { _ in handler }
        let logger = Logger(label: "valkite")

        logger.notice("Valkite \(Version.valkite) (Valkey \(Version.valkey) compatible), pid=\(getpid()), just started")
        if let restore {
            do {
                let restored = try BackupFile.restore(from: restore, directory: config.dir, filename: config.dbfilename)
                let versions = restored.schemaVersion
                let migrated = versions.to != versions.from ? ", migrated to \(versions.to)" : ""
                logger.notice("Restored \(restore) as \(restored.path) (schema version \(versions.from)\(migrated))")
                if let replaced = restored.replacedPath {
                    logger.notice("The database it replaced was moved to \(replaced)")
                }
            } catch {
                logger.warning("Restore refused: \(error)")
                throw ExitCode(1)
            }
            if restoreOnly { return }
        } else if restoreOnly {
            logger.warning("--restore-only needs --restore FILE")
            throw ExitCode(1)
        }
        let store: Store
        do {
            store = try Store.open(directory: config.dir, filename: config.dbfilename,
                                   durability: Durability(rawValue: config.appendfsync) ?? .everysec)
        } catch {
            logger.warning("Can't open the database \(config.dir)/\(config.dbfilename): \(error)")
            throw ExitCode(1)
        }
        if store.replayedChanges > 0 {
            logger.notice("Replayed \(store.replayedChanges) changes from the journal \(store.journalPath)")
        }
        let persistence = StorePersistence(store: store, directory: config.dir,
                                           backupKeep: Int(config.value("backup-keep") ?? "") ?? 10, logger: logger)
        store.materializer.historyRetentionMilliseconds =
            HistoryConfiguration.retentionMilliseconds(config.value("history-retention") ?? "0") ?? 0
        config.onChange = { name, value in
            if name == "appendfsync", let durability = Durability(rawValue: value) {
                store.flusher.durability = durability
            }
            if name == "history-retention", let milliseconds = HistoryConfiguration.retentionMilliseconds(value) {
                store.materializer.historyRetentionMilliseconds = milliseconds
            }
            if name == "backup-keep", let keep = Int(value) {
                persistence.backupKeep = keep
            }
        }

        let state = ServerState(config: config)
        state.configFile = configFile ?? ""
        state.executable = CommandLine.arguments.first ?? "valkite-server"
        state.persistence = persistence
        let queries = StoreQueries(store: store)
        state.sql = queries
        let server = ValkiteServer(state: state, logger: logger, eventLoopThreads: config.ioThreads, durableLog: persistence)
        store.flusher.onQueueDrained = { server.resumeReading() }
        server.beginLoading()
        do {
            try server.start()
        } catch {
            logger.warning("Failed listening on port \(config.port) (tcp): \(error)")
            queries.stop()
            store.close()
            throw ExitCode(1)
        }
        logger.notice("Server initialized, port=\(server.listeningPort), database \(store.path)")
        load(from: store, into: server, config: config, logger: logger)

        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler {
                logger.notice("Received \(number == SIGTERM ? "SIGTERM" : "SIGINT") scheduling shutdown...")
                server.requestShutdown()
            }
            source.resume()
            return source
        }
        try server.wait()
        signals.forEach { $0.cancel() }
        queries.stop()
        store.close()
        if let error = store.flusher.lastError {
            logger.warning("Final commit failed, data since the last commit is lost: \(error)")
            throw ExitCode(1)
        }
        logger.notice("Database closed: \(store.path)")
    }

    /// Loads the database into a fresh keyspace off the event loops (clients get
    /// `-LOADING` meanwhile), then hands it to the server. A failed load stops the server.
    private func load(from store: Store, into server: ValkiteServer, config: ServerConfig, logger: Logger) {
        BackgroundWork {
            let loaded = Keyspace(databaseCount: config.databases)
            do {
                let result = try store.load(into: loaded, now: currentTimeMillis()) { collection in
                    CollectionEncoding.settle(collection, config: config)
                }
                server.finishLoading(loaded)
                let seconds = Double(result.milliseconds) / 1000
                logger.notice("DB loaded from disk: \(result.keys) keys (\(result.expired) expired dropped) in \(seconds) seconds")
                logger.notice("Ready to accept connections tcp")
            } catch {
                logger.warning("Failed loading the database: \(error)")
                server.requestShutdown()
            }
        }.start()
    }
}

private func currentEnvironment() -> [String: String] {
    var variables: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return variables
}
