/// A small, fast PRNG (xorshift64*) for sampling and the LFU counter: the system
/// generator costs a syscall per call, too much for a per-read path.
/// Not for anything security-related.
public struct FastRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
