/// The convenience-store payment code (コンビニ収納用バーコード): GS1-128 carrying 44 digits under
/// AI (91): company code (6), free field (21), reissue count (1), payment deadline YYMMDD (6),
/// stamp flag (1), amount (6) and a modulus-10 weight-3/1 check digit.
public struct ConveniencePayment: Sendable, Equatable {
    public let digits: String

    /// The 44 digits from their parts; each part must fit its width exactly or be a number that
    /// pads with leading zeros (company, free field, amount).
    public init(company: String, free: String, reissue: String, deadline: String, stamp: String, amount: String) throws {
        func part(_ name: String, _ value: String, _ width: Int, pad: Bool) throws -> String {
            let v = value.filter { $0 != "," && $0 != " " }
            guard !v.isEmpty, v.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw BarcodeError("the payment code's \(name) '\(value)' is not a number")
            }
            if v.count == width { return v }
            if pad && v.count < width { return String(repeating: "0", count: width - v.count) + v }
            throw BarcodeError("the payment code's \(name) '\(value)' does not fit its \(width) digit\(width == 1 ? "" : "s")")
        }
        var d = "91"
        d += try part("company code", company, 6, pad: true)
        d += try part("free field", free, 21, pad: true)
        d += try part("reissue count", reissue, 1, pad: false)
        d += try part("deadline (YYMMDD)", Self.yymmdd(deadline), 6, pad: false)
        d += try part("stamp flag", stamp, 1, pad: false)
        d += try part("amount", amount, 6, pad: true)
        digits = d + String(Self.checkDigit(d))
    }

    /// Accepts 44 digits as printed, verifying the check digit.
    public init(digits: String) throws {
        guard digits.count == 44, digits.hasPrefix("91"), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw BarcodeError("a payment code is 44 digits starting with 91")
        }
        guard Self.checkDigit(String(digits.prefix(43))) == Int(String(digits.last!)) else {
            throw BarcodeError("the payment code's check digit is wrong")
        }
        self.digits = digits
    }

    /// Modulus 10, weights 3 and 1 alternating from the rightmost data digit (weight 3), over the 43
    /// digits before the check digit, AI included, as for any GS1 check digit.
    public static func checkDigit(_ data: String) -> Int {
        var sum = 0
        for (i, ch) in data.reversed().enumerated() {
            let d = Int(ch.asciiValue ?? 48) - 48
            sum += i % 2 == 0 ? d * 3 : d
        }
        return (10 - sum % 10) % 10
    }

    /// 2026-06-30, 20260630 or 260630 → 260630.
    static func yymmdd(_ value: String) -> String {
        let d = value.filter { $0.isASCII && $0.isNumber }
        return d.count == 8 ? String(d.dropFirst(2)) : d
    }

    /// What zint encodes: the AI in brackets and the 42 digits after it.
    public var gs1Input: String { "[91]" + digits.dropFirst(2) }

    public var amount: Int { Int(digits.dropFirst(37).prefix(6)) ?? 0 }

    /// The human-readable lines printed beneath the bars: the AI, company code, free field and
    /// reissue count; then deadline, stamp flag, amount and check digit.
    public var humanReadable: [String] {
        let s = Array(digits)
        func cut(_ a: Int, _ n: Int) -> String { String(s[a..<(a + n)]) }
        return [
            "(91)" + cut(2, 6) + "-" + cut(8, 22),
            cut(30, 6) + "-" + cut(36, 1) + "-" + cut(37, 6) + "-" + cut(43, 1),
        ]
    }
}
