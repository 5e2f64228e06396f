import Foundation
import Hummingbird
import Store

/// Encoded answers of the busiest reads (the run list, a vendor's batch list), kept while the state is
/// unchanged: a browser or a monitoring script polling them costs a lookup, not a query and an encoding.
/// An answer is reused only while the state's change token (the newest event and audit row, as the
/// live-update stream uses) is the same and for at most `freshFor` seconds, which bounds how late a
/// change that writes no event (none of the listed fields does so today) could show.
final class AnswerCache: @unchecked Sendable {
    private struct Entry { var token: String; var at: Double; var body: ByteBuffer }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    let freshFor: Double
    let limit: Int

    init(freshFor: Double = 1, limit: Int = 256) {
        self.freshFor = freshFor
        self.limit = limit
    }

    /// The JSON answer for `key` (the endpoint, its query and, where the answer depends on it, who asks).
    func json<T: Encodable>(_ key: String, store: Store, make: () throws -> T) throws -> Response {
        let token = try ChangeFeed.readToken(store)
        let now = ProcessInfo.processInfo.systemUptime
        if let e = lock.withLock({ entries[key] }), e.token == token, now - e.at < freshFor {
            return HTTPIO.json(body: e.body)
        }
        let body = try HTTPIO.jsonBody(try make())
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(token: token, at: now, body: body)
        }
        return HTTPIO.json(body: body)
    }
}
