import Foundation

/// A browser's session against the live server: logs in through the form, keeps the cookies, reads
/// the CSRF token from the pages it gets, and posts forms as a browser does.
public final class Browser {
    public let server: LiveServer
    public var cookies: [String: String] = [:]
    public var csrf = ""

    public init(_ server: LiveServer) { self.server = server }

    public var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    public func remember(_ reply: LiveServer.Reply) {
        // An empty value or Max-Age=0 deletes the cookie, as a browser does.
        for h in reply.headers where h.name.lowercased() == "set-cookie" {
            let pair = h.value.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<eq].trimmingCharacters(in: .whitespaces), value = String(pair[pair.index(after: eq)...])
            if value.isEmpty || h.value.lowercased().contains("max-age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        if let range = reply.text.range(of: #"name="csrf" value=""#) {
            csrf = String(reply.text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    public static func form(_ fields: [String: String]) -> Data {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return Data(fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.sorted().joined(separator: "&").utf8)
    }

    public func login(_ name: String, password: String) throws {
        let page = try server.request("GET", "/login")
        remember(page)
        let reply = try server.request("POST", "/login", headers: ["Cookie": cookieHeader, "Content-Type": "application/x-www-form-urlencoded"],
                                       body: Self.form(["name": name, "password": password, "csrf": csrf]))
        guard reply.status == 303 else { throw LiveServer.ServerError(message: "login of \(name): \(reply.status) \(reply.text)") }
        remember(reply)
    }

    public func get(_ path: String) throws -> LiveServer.Reply {
        let reply = try server.request("GET", path, headers: ["Cookie": cookieHeader])
        remember(reply)
        return reply
    }

    /// POSTs a form with the page's CSRF token (unless `csrf` is false).
    public func post(_ path: String, _ fields: [String: String], csrf withToken: Bool = true) throws -> LiveServer.Reply {
        var fields = fields
        if withToken { fields["csrf"] = csrf }
        let reply = try server.request("POST", path, headers: ["Cookie": cookieHeader, "Content-Type": "application/x-www-form-urlencoded"],
                                       body: Self.form(fields))
        remember(reply)
        return reply
    }
}
