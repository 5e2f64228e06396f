import Foundation
import GRDB
import HummingbirdBcrypt
import Store

/// Web accounts, their sessions and API tokens, in the state database. Passwords are kept as bcrypt
/// hashes (cost ≥ 12), session ids and tokens as SHA-256 hashes. Every change to an account is
/// audited with who made it and from where.
public struct Accounts: Sendable {
    public let store: Store
    public var throttle = LoginThrottle()
    public var sessions = SessionPolicy()
    /// bcrypt cost for new passwords; never below 12.
    public var passwordCost: UInt8 = 12 {
        didSet { passwordCost = max(passwordCost, 12) }
    }

    public init(store: Store) { self.store = store }

    public static let minimumPasswordLength = 10

    public static let tables: [Store.Migration] = [
        Store.Migration("v7-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    password_changed_at REAL NOT NULL
                );
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    user TEXT NOT NULL REFERENCES users(name),
                    csrf TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    last_seen_at REAL NOT NULL,
                    address TEXT
                );
                CREATE TABLE api_tokens (
                    id INTEGER PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    user TEXT NOT NULL REFERENCES users(name),
                    created_at REAL NOT NULL,
                    expires_at REAL,
                    last_used_at REAL
                );
                CREATE TABLE login_failures (
                    id INTEGER PRIMARY KEY,
                    user TEXT NOT NULL,
                    at REAL NOT NULL,
                    address TEXT
                );
                CREATE INDEX login_failures_by_user ON login_failures(user, at);
                """)
        },
    ]

    // MARK: Accounts

    /// Creates an account. `vendors`: the vendors of nightjar.yaml, which a `vendor:NAME` role must name.
    @discardableResult
    public func add(name: String, role: Role, password: String, vendors: Set<String>, by actor: String, address: String? = nil,
                    now: Double = Date().timeIntervalSince1970) throws -> Account {
        guard AccountName.isValid(name) else { throw AccountError.badInput("account \(name.debugDescription): \(AccountName.rule)") }
        if let vendor = role.vendor, !vendors.contains(vendor) {
            throw AccountError.badInput("no vendor \(vendor) in nightjar.yaml (spool: vendors:)"
                + (vendors.isEmpty ? "" : "; vendors: \(vendors.sorted().joined(separator: ", "))"))
        }
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: passwordCost)
        return try store.db.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) == true { throw AccountError.exists(name) }
            try db.execute(sql: """
                INSERT INTO users (name, role, password_hash, disabled, created_at, password_changed_at) VALUES (?, ?, ?, 0, ?, ?)
                """, arguments: [name, role.description, hash, now, now])
            try audit(db, actor: actor, action: "user.add", user: name, result: "role \(role)", address: address)
            return Account(name: name, role: role, disabled: false, createdAt: now)
        }
    }

    public func list() throws -> [Account] {
        try store.db.read { try Row.fetchAll($0, sql: "SELECT * FROM users ORDER BY name").compactMap(Account.init(row:)) }
    }

    public func account(_ name: String) throws -> Account? {
        try store.db.read { try Row.fetchOne($0, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).flatMap(Account.init(row:)) }
    }

    /// Disables an account: it can no longer log in, its sessions end and its tokens stop working.
    public func disable(_ name: String, by actor: String, address: String? = nil) throws {
        try store.db.write { db in
            try db.execute(sql: "UPDATE users SET disabled = 1 WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw AccountError.unknownUser(name) }
            try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [name])
            try audit(db, actor: actor, action: "user.disable", user: name, result: "disabled; sessions ended", address: address)
        }
        markChanged()
    }

    /// A file rewritten after every change that can take a credential away (disable, new password, logout),
    /// so that a web server remembering credentials (its IdentityCache) notices it at the next request,
    /// whichever process made the change.
    public var changeMarker: String { store.directory.appendingPathComponent("accounts.changed").path }

    func markChanged() {
        // Rewritten whole via rename: a new inode and time each time, which a stat() sees.
        try? Data(Secret.make().utf8).write(to: URL(fileURLWithPath: changeMarker), options: .atomic)
    }

    /// Sets a new password; the account's sessions end (tokens stay valid).
    public func setPassword(_ name: String, password: String, by actor: String, address: String? = nil,
                            now: Double = Date().timeIntervalSince1970) throws {
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: passwordCost)
        try store.db.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?", arguments: [hash, now, name])
            guard db.changesCount > 0 else { throw AccountError.unknownUser(name) }
            try db.execute(sql: "DELETE FROM sessions WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM login_failures WHERE user = ?", arguments: [name])
            try audit(db, actor: actor, action: "user.passwd", user: name, result: "password changed; sessions ended", address: address)
        }
        markChanged()
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw AccountError.badInput("the password is too short: use at least \(minimumPasswordLength) characters")
        }
        // bcrypt reads at most 72 bytes: a longer password would be silently cut.
        guard password.utf8.count <= 72 else { throw AccountError.badInput("the password is too long: at most 72 bytes") }
        guard !password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw AccountError.badInput("the password contains a control character")
        }
    }

    // MARK: API tokens

    /// A new API token for `user`, valid for `lifetime` seconds (nil: until the account is disabled).
    /// The token is returned once; only its hash is kept.
    public func createToken(user: String, lifetime: Double?, by actor: String, address: String? = nil,
                            now: Double = Date().timeIntervalSince1970) throws -> String {
        guard try account(user) != nil else { throw AccountError.unknownUser(user) }
        let token = "njt_" + Secret.make()
        try store.db.write { db in
            try db.execute(sql: "INSERT INTO api_tokens (token_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [Secret.hash(token), user, now, lifetime.map { now + $0 }])
            let until = lifetime.map { "expires \(Date(timeIntervalSince1970: now + $0))" } ?? "no expiry"
            try audit(db, actor: actor, action: "token.create", user: user, result: "token \(db.lastInsertedRowID) (\(until))", address: address)
        }
        return token
    }

    /// The enabled account a token belongs to, if the token is known and has not expired.
    public func authenticate(token: String, now: Double = Date().timeIntervalSince1970) throws -> Account? {
        guard let row = try store.db.read({ db in
            try Row.fetchOne(db, sql: """
                SELECT users.*, api_tokens.id AS token_id, api_tokens.expires_at, api_tokens.last_used_at FROM api_tokens
                JOIN users ON users.name = api_tokens.user WHERE api_tokens.token_hash = ?
                """, arguments: [Secret.hash(token)])
        }), let account = Account(row: row), !account.disabled else { return nil }
        if let expires = row["expires_at"] as Double?, now >= expires { return nil }
        // Every API call of a script comes through here: writing only when the recorded use is a
        // minute old keeps requests off the database's single writer, which the scheduler needs.
        if now - ((row["last_used_at"] as Double?) ?? 0) >= Self.touchInterval {
            try store.db.write { try $0.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [now, row["token_id"] as Int64]) }
        }
        return account
    }

    /// How stale a token's last use or a session's last request may be recorded (seconds). A session
    /// may so end up to this much before its idle limit, never after it.
    static let touchInterval = 60.0

    // MARK: Login and sessions

    /// Checks a name and password under the throttle. A failure is recorded (and audited) and throws
    /// `badCredentials`; while throttled or locked the password is not even checked.
    public func login(name: String, password: String, address: String?, now: Double = Date().timeIntervalSince1970) throws -> Account {
        let failures = try store.db.read {
            try Double.fetchAll($0, sql: "SELECT at FROM login_failures WHERE user = ? AND at > ? ORDER BY at",
                                arguments: [name, now - throttle.window - throttle.lockout])
        }
        switch throttle.decide(failures: failures, now: now) {
        case .allowed: break
        case .wait(let until): throw AccountError.throttled(until: until)
        case .locked(let until): throw AccountError.locked(until: until)
        }
        let row = try store.db.read { try Row.fetchOne($0, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]) }
        // Unknown names cost a bcrypt check too, so the time taken does not tell which names exist.
        let hash: String = row?["password_hash"] ?? Self.decoyHash
        let matches = Bcrypt.verify(password, hash: hash)
        if matches, let row, let account = Account(row: row), !account.disabled {
            try store.db.write { db in
                try db.execute(sql: "DELETE FROM login_failures WHERE user = ?", arguments: [name])
            }
            return account
        }
        try store.db.write { db in
            try db.execute(sql: "INSERT INTO login_failures (user, at, address) VALUES (?, ?, ?)", arguments: [name, now, address])
            let locked = throttle.decide(failures: failures + [now], now: now)
            let result: String
            if case .locked = locked { result = "refused; locked for \(Int(throttle.lockout / 60)) minutes" } else { result = "refused" }
            try audit(db, actor: AccountName.isValid(name) ? name : "?", action: "login.failed", user: nil, result: result, address: address)
        }
        throw AccountError.badCredentials
    }

    /// A bcrypt hash (cost 12) of a random password nobody knows, checked for unknown names.
    static let decoyHash = Bcrypt.hash(Secret.make(), cost: 12)

    /// A web session: the cookie value (returned once, kept hashed) and its CSRF token.
    public struct Session: Sendable, Equatable {
        public var token: String
        public var csrf: String
        public var account: Account
    }

    public func startSession(for account: Account, address: String?, now: Double = Date().timeIntervalSince1970) throws -> Session {
        let token = Secret.make(), csrf = Secret.make()
        try store.db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE last_seen_at < ?", arguments: [now - sessions.absolute])
            try db.execute(sql: "INSERT INTO sessions (token_hash, user, csrf, created_at, last_seen_at, address) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [Secret.hash(token), account.name, csrf, now, now, address])
            try audit(db, actor: account.name, action: "login", user: nil, result: "session started", address: address)
        }
        return Session(token: token, csrf: csrf, account: account)
    }

    /// The live session a cookie names (its idle clock restarts), or nil: unknown, expired, or the
    /// account disabled.
    public func session(token: String, now: Double = Date().timeIntervalSince1970) throws -> Session? {
        let key = Secret.hash(token)
        guard let row = try store.db.read({ db in
            try Row.fetchOne(db, sql: """
                SELECT users.*, sessions.csrf, sessions.created_at AS session_created, sessions.last_seen_at
                FROM sessions JOIN users ON users.name = sessions.user WHERE sessions.token_hash = ?
                """, arguments: [key])
        }), let account = Account(row: row) else { return nil }
        guard !account.disabled,
              sessions.isLive(createdAt: row["session_created"], lastSeenAt: row["last_seen_at"], now: now) else {
            try store.db.write { try $0.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [key]) }
            return nil
        }
        // Read-mostly, as for tokens: the idle clock is written at most once a minute.
        if now - ((row["last_seen_at"] as Double?) ?? 0) >= Self.touchInterval {
            try store.db.write { try $0.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", arguments: [now, key]) }
        }
        return Session(token: token, csrf: row["csrf"], account: account)
    }

    public func endSession(token: String, address: String?) throws {
        try store.db.write { db in
            let key = Secret.hash(token)
            guard let user = try String.fetchOne(db, sql: "SELECT user FROM sessions WHERE token_hash = ?", arguments: [key]) else { return }
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [key])
            try audit(db, actor: user, action: "logout", user: nil, result: "session ended", address: address)
        }
        markChanged()
    }

    /// Whether a form's CSRF token is the session's.
    public static func csrfMatches(_ given: String?, session: Session) -> Bool {
        guard let given else { return false }
        return Secret.equal(given, session.csrf)
    }

    // MARK: Audit

    /// An account action in the audit trail; the account acted on goes in the job column as `user NAME`,
    /// as the spool puts `batch N` there.
    func audit(_ db: Database, actor: String, action: String, user: String?, result: String, address: String?) throws {
        try Store.audit(db, user: actor, action: action, net: nil, runID: nil, job: user.map { "user \($0)" }, reason: nil,
                        result: result, address: address)
    }
}
