import Accounts
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Operations

/// The web server: the API, the pages, authentication and the error answers, on the same state
/// directory as the CLI (a change made on either side shows on the other at once).
public struct WebServer: Sendable {
    public let ops: Operations
    public let accounts: Accounts
    /// Cookies carry `Secure` (set when serving TLS).
    public var secureCookies = false
    /// The clock sessions, tokens and login throttling are judged by; tests pass a virtual one.
    public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    /// Seconds a connection may send nothing (between requests, or in the middle of one) before it is
    /// closed: a client that opens connections and stalls must not hold them for ever.
    public var idleTimeout: Double = 30
    /// The one change detector of this server's live pages, however many are open.
    public let changes: ChangeFeed

    public init(ops: Operations, accounts: Accounts) {
        self.ops = ops
        self.accounts = accounts
        changes = ChangeFeed(store: ops.store)
    }

    /// Every API route as (method, path, access), for the OpenAPI check and the role tests.
    public var apiRoutes: [(method: String, path: String, access: Access)] {
        API(ops: ops, accounts: accounts).endpoints.map { ($0.method.rawValue, $0.path, $0.access) }
    }

    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        // Middleware applies to the routes registered after it: add it first.
        router.add(middleware: ErrorMiddleware())
        let identities = IdentityCache(markerPath: accounts.changeMarker)
        router.add(middleware: Authenticator(accounts: accounts, clock: clock, cache: identities))
        router.add(middleware: CSRFMiddleware(store: ops.store))
        for endpoint in API(ops: ops, accounts: accounts).endpoints { endpoint.register(on: router, store: ops.store) }
        var pages = Pages(ops: ops, accounts: accounts, secureCookies: secureCookies, clock: clock)
        pages.identities = identities
        pages.register(on: router)
        Console(ops: ops, feed: changes, cache: TonightCache(), clock: clock).register(on: router)
        return router
    }

    /// The application listening on `address`, over TLS when `tls` is given.
    public func application(listen address: ListenAddress, tls: TLSConfiguration?, logger: Logger) throws -> some ApplicationProtocol {
        let http1 = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(idleTimeout * 1000)))
        return Application(router: router(),
                    server: try tls.map { try .tls(.http1(configuration: http1), tlsConfiguration: $0) } ?? .http1(configuration: http1),
                    configuration: .init(address: .hostname(address.host, port: address.port), serverName: "nightjar"),
                    logger: logger)
    }

    /// Serves until the task is cancelled, or (with `handleSignals`) until SIGTERM or SIGINT.
    public func run(listen address: ListenAddress, tls: TLSConfiguration?, logger: Logger, handleSignals: Bool) async throws {
        let app = try application(listen: address, tls: tls, logger: logger)
        // Downloads left in progress by a server that died are broken off, for good, before new ones begin.
        let ops = ops
        let closed = try await blocking { try ops.closeAbandonedDownloads() }
        if closed > 0 { logger.info("custody ledger: downloads of ended servers closed as broken off", metadata: ["count": "\(closed)"]) }
        try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
    }

    /// A server TLS configuration from PEM files (`tls: {cert, key}` in nightjar.yaml).
    public static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
    }
}
