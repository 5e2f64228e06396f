import Executors

/// Who performs an operator action: an OS user at the shell, or a web account from a client address.
/// Every action of the operations layer takes one, so the CLI and the web audit the same way.
public struct Actor: Sendable, Equatable {
    public enum Via: String, Sendable { case cli, web }

    /// The name in the audit trail: the OS user ($NIGHTJAR_USER, $SUDO_USER, $USER) or the account.
    public var name: String
    /// The client's IP address for a web request; nil at the shell.
    public var address: String?
    public var via: Via

    public init(name: String, address: String? = nil, via: Via) {
        self.name = name
        self.address = address
        self.via = via
    }

    /// The operator at the shell running this process.
    public static var cli: Actor { Actor(name: ProcessIdentity.user, via: .cli) }

    public static func web(account: String, address: String?) -> Actor {
        Actor(name: account, address: address, via: .web)
    }
}
