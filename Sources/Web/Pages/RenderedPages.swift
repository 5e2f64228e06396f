import Foundation
import Hummingbird

/// Pages already rendered from one version of a view, for the next asker who would get the same bytes:
/// fifty browsers (or a wall screen per desk) watching Tonight cost one rendering per change of the
/// view, not one each. The key names everything the page depends on besides the view: the query, the
/// language the browser asks for, the account and its session's CSRF token (the logout form).
final class RenderedPages: @unchecked Sendable {
    private let lock = NSLock()
    private var version = ""
    private var pages: [String: String] = [:]
    /// Distinct askers kept per version; beyond that the oldest version's pages are dropped wholesale.
    let limit: Int

    init(limit: Int = 64) { self.limit = limit }

    /// The page of `version` for this request and identity, rendered by `make` if nobody asked yet.
    func page(version: String, request: Request, identity: Identity, make: () -> String) -> String {
        let key = [request.uri.query ?? "", request.headers[.acceptLanguage] ?? "", identity.account.name,
                   identity.session?.csrf ?? ""].joined(separator: "\u{1f}")
        if let page = lock.withLock({ version == self.version ? pages[key] : nil }) { return page }
        let page = make()
        lock.withLock {
            if version != self.version || pages.count >= limit {
                self.version = version
                pages.removeAll(keepingCapacity: true)
            }
            pages[key] = page
        }
        return page
    }
}
