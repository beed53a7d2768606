/// A client's pub/sub subscriptions. (Placeholder, filled by the pub/sub work.)
public final class ClientSubscriptions {
    public init() {}
}
