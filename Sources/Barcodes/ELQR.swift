/// 地方税統一QRコード (eL-QR). Its payload layout belongs to the local tax agency (地方税共同機構) and
/// changes with its specification, which is not reproduced here. The tax system that issues the
/// notices produces the payload; a form passes it through (`value`), or names a builder that makes it
/// from parts. A new layout is a new builder registered in `ELQRBuilders`.
public protocol ELQRBuilder: Sendable {
    /// The parts a form must give.
    var parts: [String] { get }
    /// The QR payload from the parts' values; throws when a value cannot be carried.
    func payload(_ values: [String: String]) throws -> String
}

public enum ELQRBuilders {
    static let all: [String: any ELQRBuilder] = [
        "as-given": AsGiven(),
    ]
    public static var names: [String] { all.keys.sorted() }
    public static func named(_ name: String) -> (any ELQRBuilder)? { all[name] }
}

/// The payload exactly as the tax system issued it, checked only for what a QR reader at a bank or
/// convenience-store counter can take back: printable ASCII, no longer than a version-40 QR holds.
struct AsGiven: ELQRBuilder {
    var parts: [String] { ["data"] }

    func payload(_ values: [String: String]) throws -> String {
        let data = values["data"] ?? ""
        guard !data.isEmpty else { throw BarcodeError("the eL-QR payload is empty") }
        guard data.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw BarcodeError("the eL-QR payload holds characters other than printable ASCII")
        }
        guard data.utf8.count <= 2_000 else { throw BarcodeError("the eL-QR payload is longer than 2,000 characters") }
        return data
    }
}
