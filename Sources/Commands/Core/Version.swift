/// Versions the server reports.
public enum Version {
    /// Valkite's own version (INFO `valkite_version`, `--version`).
    public static let valkite = "0.1.0"
    /// The Valkey release whose behaviour Valkite reproduces (HELLO, INFO `valkey_version`).
    public static let valkey = "8.0.0"
    /// What Valkey 8.0 reports as `redis_version`, for clients that check it.
    public static let redisCompatibility = "7.2.4"
}
