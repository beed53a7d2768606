/// A client's MULTI/EXEC/WATCH state. (Placeholder, filled by the transactions work.)
public final class ClientTransaction {
    public init() {}
}
