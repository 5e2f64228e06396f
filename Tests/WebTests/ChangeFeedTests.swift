import Foundation
import GRDB
import Operations
import Store
import Testing
import Web

/// The live pages' change detector: one poller however many listen, every listener told of a real
/// write to the store, nobody told of nothing.
@Suite struct ChangeFeedTests {
    /// The first signal of `signals`, or nil when none comes within `seconds` (a bound, not a pause).
    func first(_ signals: AsyncStream<ChangeFeed.Signal>, within seconds: Double) async -> ChangeFeed.Signal? {
        await withTaskGroup(of: ChangeFeed.Signal?.self) { group in
            group.addTask { for await s in signals { return s }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return nil }
            let winner = await group.next() ?? nil
            group.cancelAll()
            return winner
        }
    }

    @Test func fiftyListenersShareOnePollerAndAllHearOfAWrite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-feed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(directory: dir.path, tables: Operations.tables)
        let feed = ChangeFeed(store: store, interval: .milliseconds(20), heartbeatEvery: 1_000_000)
        let seen = try feed.token()
        let listeners = (0..<50).map { _ in feed.subscribe(seen: seen) }
        let quiet = feed.subscribe(seen: seen)
        #expect(feed.pollersStarted == 1 && feed.subscriberCount == 51)
        // Nothing changed: nothing is heard (a dozen polls pass within the bound). Giving up on the
        // stream (its task cancelled, as when a browser goes away) unsubscribes it.
        #expect(await first(quiet.signals, within: 0.3) == nil)
        #expect(feed.subscriberCount == 50)
        try await store.db.write { try Store.event($0, runID: nil, job: nil, kind: "test.change", detail: nil) }
        let token = try feed.token()
        #expect(token != seen)
        for l in listeners {
            #expect(await first(l.signals, within: 10) == .changed(token))
        }
        #expect(feed.pollersStarted == 1)
        // A listener whose page is older than the state hears of it at once.
        let late = feed.subscribe(seen: seen)
        #expect(await first(late.signals, within: 10) == .changed(token))
        for l in listeners + [late] { feed.unsubscribe(l.id) }
        #expect(feed.subscriberCount == 0)
    }
}
