import ArgumentParser
import Foundation
import Web

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web pages and the JSON API (/api/v1) on the site's state directory.",
        discussion: """
            Listens on 127.0.0.1:8080 unless --listen says otherwise. Any address other than loopback needs TLS
            (tls: {cert, key} in nightjar.yaml) or --insecure-http. Accounts: `nightjar user add`; tokens for
            scripts: `nightjar token create`. Runs reopened from the web (rerun, skip) are executed by the daemon:
            `nightjar daemon --http ADDR:PORT` runs both in one process. The API is described at /api/v1/openapi.yaml.
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "ADDR:PORT to listen on.") var listen = ListenAddress.default.description
    @Flag(help: "Allow plain HTTP on a non-loopback address (prints a warning).") var insecureHttp = false
    @Option(help: "Close a connection that sends nothing for this many seconds (also in the middle of a request).") var idleTimeout = 30.0

    func run() throws {
        guard idleTimeout > 0 && idleTimeout <= 3600 else { throw Failure.badInput("--idle-timeout \(idleTimeout): give 0.1 to 3600 seconds") }
        var launch = try WebLaunch(site: site, listen: listen, insecureHTTP: insecureHttp)
        launch.server.idleTimeout = idleTimeout
        launch.start(handleSignals: true).wait()
    }
}
