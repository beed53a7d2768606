/// Channels and patterns → subscribed clients. (Placeholder, filled by the pub/sub work.)
public final class PubSubRegistry {
    public init() {}
}
