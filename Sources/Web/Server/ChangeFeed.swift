import Foundation
import GRDB
import Store

/// Tells live pages that something changed in the state directory. ONE poller per server process,
/// however many browsers listen: every `interval` it reads the newest event id and audit id (two
/// primary-key lookups) and, when they moved, wakes every subscriber. It runs only while someone
/// listens, so an idle server costs the scheduler nothing, and fifty open pages cost it what one does.
///
/// Event and audit ids rather than `PRAGMA data_version`: the store is a pool, and a version read on
/// one reader connection says nothing about the next read on another.
public final class ChangeFeed: @unchecked Sendable {
    public enum Signal: Sendable, Equatable {
        /// The state changed; the token identifies the new state.
        case changed(String)
        /// Nothing changed for a while: a comment keeps proxies from closing the stream and finds dead clients.
        case heartbeat
    }

    let store: Store
    let interval: Duration
    let heartbeatEvery: Int
    private let lock = NSLock()
    /// Each listener with the token of the state it last heard of (or its page was made from).
    private var subscribers: [UUID: (continuation: AsyncStream<Signal>.Continuation, seen: String?)] = [:]
    private var poller: Task<Void, Never>?
    /// Pollers started over the feed's life, and polls made: for tests and the benchmark's claim.
    public private(set) var pollersStarted = 0
    public private(set) var polls = 0

    public init(store: Store, interval: Duration = .milliseconds(500), heartbeatEvery: Int = 30) {
        self.store = store
        self.interval = interval
        self.heartbeatEvery = heartbeatEvery
    }

    /// The state's token now: the newest event and audit entry.
    public func token() throws -> String { try Self.readToken(store) }

    public var subscriberCount: Int { lock.withLock { subscribers.count } }

    /// A stream of signals until `unsubscribe(id)`; starts the poller if it is not running. `seen` is
    /// the token of the state the listener shows: any other state is announced at the next poll, so
    /// a change between making the page and subscribing is not lost.
    public func subscribe(seen: String?) -> (id: UUID, signals: AsyncStream<Signal>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(4))
        lock.withLock {
            subscribers[id] = (continuation, seen)
            if poller == nil {
                pollersStarted += 1
                poller = Task.detached { [weak self] in await self?.poll() }
            }
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        let entry = lock.withLock { subscribers.removeValue(forKey: id) }
        entry?.continuation.finish()
    }

    private func poll() async {
        var quiet = 0
        while true {
            try? await Task.sleep(for: interval)
            let store = self.store
            let token = try? await withCheckedThrowingContinuation { (c: CheckedContinuation<String, Error>) in
                // Off the cooperative pool: SQLite may wait on a writer's lock.
                DispatchQueue.global().async { c.resume(with: Result { try ChangeFeed.readToken(store) }) }
            }
            let sends: [(AsyncStream<Signal>.Continuation, Signal)]? = lock.withLock {
                polls += 1
                guard !subscribers.isEmpty else {
                    // Nobody listens: stop; the next subscriber starts a fresh poller.
                    poller = nil
                    return nil
                }
                var sends: [(AsyncStream<Signal>.Continuation, Signal)] = []
                if let token {
                    for (id, s) in subscribers where s.seen != token {
                        subscribers[id]?.seen = token
                        sends.append((s.continuation, .changed(token)))
                    }
                }
                quiet = sends.isEmpty ? quiet + 1 : 0
                if quiet >= heartbeatEvery {
                    quiet = 0
                    sends = subscribers.values.map { ($0.continuation, .heartbeat) }
                }
                return sends
            }
            guard let sends else { return }
            for (c, signal) in sends { c.yield(signal) }
        }
    }

    static func readToken(_ store: Store) throws -> String {
        try store.db.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT (SELECT coalesce(max(id), 0) FROM events) AS e, (SELECT coalesce(max(id), 0) FROM audit) AS a")
            return "\(row?["e"] as Int64? ?? 0).\(row?["a"] as Int64? ?? 0)"
        }
    }
}
