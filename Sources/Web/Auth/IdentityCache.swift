import Accounts
import Crypto
import Foundation

/// Who a bearer token or a session cookie named, remembered for a moment.
///
/// Scripts poll the API many times a second, and every request would otherwise hash its token and read
/// the accounts tables on a blocking thread before any work. A disable, a new password or a logout, in
/// this process or another (the CLI), rewrites the accounts' change marker (`Accounts.changeMarker`); one
/// stat() per request sees it and forgets everything. `ttl` bounds the rest (a token's expiry, a session's
/// idle limit) to a few seconds late at most.
final class IdentityCache: @unchecked Sendable {   // state only under `lock`
    private struct Entry { let identity: Identity; let until: Double }
    struct Marker: Equatable { var inode: UInt = 0, seconds = 0, nanoseconds = 0 }
    private struct State { var entries: [SHA256Digest: Entry] = [:]; var marker: Marker? }
    private let lock = NSLock()
    private var state = State()
    let markerPath: String
    let ttl: Double
    /// Beyond this many live credentials the cache starts over rather than grow (a flood of bad tokens
    /// is never cached, so this bounds memory only against very many real ones).
    let capacity: Int

    init(markerPath: String, ttl: Double = 2, capacity: Int = 10_000) {
        self.markerPath = markerPath
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The credential is kept as a digest, so the cache holds no usable secret.
    private func key(_ kind: String, _ secret: String) -> SHA256Digest { SHA256.hash(data: Data((kind + secret).utf8)) }

    /// What a lookup found, and the marker it saw: an identity read from the database after a miss is
    /// remembered only if no change was marked since (else a disable racing the read could be undone).
    struct Lookup { let identity: Identity?; let marker: Marker? }

    func lookup(bearer token: String, now: Double) -> Lookup { lookup(key("b", token), now: now) }
    func lookup(cookie: String, now: Double) -> Lookup { lookup(key("c", cookie), now: now) }
    func remember(bearer token: String, _ identity: Identity, after seen: Lookup, now: Double) { remember(key("b", token), identity, seen, now: now) }
    func remember(cookie: String, _ identity: Identity, after seen: Lookup, now: Double) { remember(key("c", cookie), identity, seen, now: now) }
    func forget(cookie: String) { lock.withLock { _ = state.entries.removeValue(forKey: key("c", cookie)) } }

    /// The marker as stat() sees it; nil while it does not exist (no change made yet).
    private func currentMarker() -> Marker? {
        var st = stat()
        guard stat(markerPath, &st) == 0 else { return nil }
        return Marker(inode: UInt(st.st_ino), seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
    }

    private func lookup(_ key: SHA256Digest, now: Double) -> Lookup {
        let marker = currentMarker()
        return lock.withLock {
            if marker != state.marker {
                state.entries.removeAll()
                state.marker = marker
                return Lookup(identity: nil, marker: marker)
            }
            guard let entry = state.entries[key] else { return Lookup(identity: nil, marker: marker) }
            // A clock that went back also ends the entry.
            guard now < entry.until, now >= entry.until - ttl else {
                state.entries[key] = nil
                return Lookup(identity: nil, marker: marker)
            }
            return Lookup(identity: entry.identity, marker: marker)
        }
    }

    private func remember(_ key: SHA256Digest, _ identity: Identity, _ seen: Lookup, now: Double) {
        // Checked again here too: a change marked between the lookup and now is seen by the next lookup,
        // but one marked and already seen by another request must not be undone by this late answer.
        guard currentMarker() == seen.marker else { return }
        lock.withLock {
            guard state.marker == seen.marker else { return }
            if state.entries.count >= capacity { state.entries.removeAll() }
            state.entries[key] = Entry(identity: identity, until: now + ttl)
        }
    }
}
