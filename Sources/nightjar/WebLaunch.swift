import Accounts
import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOSSL
import Operations
import Web

/// Starting the web server for `serve` and `daemon --http`: where it listens, whether it needs TLS.
struct WebLaunch {
    var server: WebServer
    let listen: ListenAddress
    let tls: TLSConfiguration?

    /// Checks the address and the TLS rule: off loopback, TLS (`tls:` in nightjar.yaml) or an explicit
    /// `--insecure-http`, which warns.
    init(site: SiteOptions, listen text: String, insecureHTTP: Bool) throws {
        guard let listen = ListenAddress(text) else {
            throw Failure.badInput("error: --listen \(text): write ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8443")
        }
        let ops = try site.operations()
        var tls: TLSConfiguration?
        if let files = ops.config.tls {
            do { tls = try WebServer.tlsConfiguration(certificate: files.cert, key: files.key) } catch {
                throw Failure.badInput("error: nightjar.yaml tls: cannot load \(files.cert) and \(files.key) as PEM certificate and key: \(error)")
            }
        }
        if tls == nil && !listen.isLoopback {
            guard insecureHTTP else {
                throw Failure.badInput("""
                    error: listening on \(listen) (not loopback) needs TLS: set tls: {cert: FILE, key: FILE} in nightjar.yaml, \
                    or pass --insecure-http to send passwords and session cookies over the network in clear text
                    """)
            }
            FileHandle.standardError.write(Data("warning: serving plain HTTP on \(listen): passwords, session cookies and tokens cross the network unencrypted\n".utf8))
        }
        var server = WebServer(ops: ops, accounts: Accounts(store: ops.store))
        server.secureCookies = tls != nil
        self.server = server
        self.listen = listen
        self.tls = tls
    }

    /// Serves until SIGTERM or SIGINT (`handleSignals`), or forever in the background of a daemon.
    func start(handleSignals: Bool) -> DispatchSemaphore {
        var logger = Logger(label: "nightjar.web")
        logger.logLevel = .info
        let done = DispatchSemaphore(value: 0)
        let server = server, listen = listen, tls = tls
        Task {
            do {
                try await server.run(listen: listen, tls: tls, logger: logger, handleSignals: handleSignals)
            } catch {
                // A port in use or a TLS failure: the operator asked for a server and has none, so the
                // process (serve, or the daemon with --http) ends with exit 1 rather than carrying on without it.
                FileHandle.standardError.write(Data("error: the web server on \(listen) stopped: \(error)\n".utf8))
                exit(1)
            }
            done.signal()
        }
        return done
    }
}
