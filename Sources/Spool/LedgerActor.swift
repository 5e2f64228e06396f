/// Who acts in the custody ledger: a vendor's account and the address it came from.
public struct LedgerActor: Sendable, Equatable {
    public var account: String
    public var vendor: String
    /// The client's address as the server saw it (e.g. `203.0.113.7`); nil when there is none.
    public var client: String?

    public init(account: String, vendor: String, client: String?) {
        self.account = account; self.vendor = vendor; self.client = client
    }
}
