import Foundation
import GRDB

/// A web account (a row of `users`). The password hash never leaves this module.
public struct Account: Sendable, Equatable, Codable {
    public var name: String
    public var role: Role
    public var disabled: Bool
    public var createdAt: Double

    enum CodingKeys: String, CodingKey { case name, role, disabled, createdAt = "created_at" }

    public init(name: String, role: Role, disabled: Bool, createdAt: Double) {
        self.name = name
        self.role = role
        self.disabled = disabled
        self.createdAt = createdAt
    }

    init?(row: Row) {
        guard let role = Role(row["role"] as String) else { return nil }
        self.init(name: row["name"], role: role, disabled: row["disabled"], createdAt: row["created_at"])
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .role)
        guard let role = Role(text) else {
            throw DecodingError.dataCorruptedError(forKey: .role, in: c, debugDescription: "unknown role \(text)")
        }
        self.init(name: try c.decode(String.self, forKey: .name), role: role, disabled: try c.decode(Bool.self, forKey: .disabled),
                  createdAt: try c.decode(Double.self, forKey: .createdAt))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(role.description, forKey: .role)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(createdAt, forKey: .createdAt)
    }
}
