/// Half-width katakana (U+FF61–FF9F, from legacy single-byte systems) as full-width text. In a
/// vertical column a half-width ｰ would stay horizontal and ﾞ ﾟ would take a cell of their own
/// (ｺｰﾎﾟ reading ホ。), so vertical fields set the full-width forms, with voiced marks joined to their
/// base as NFKC would join them (ﾎﾟ → ポ, ｶﾞ → ガ, ｳﾞ → ヴ). NFKC itself is not used: it would also
/// change characters a name must keep (﨑 → 崎, ㈱ → (株)).
public enum KanaWidth {
    /// `text` with half-width katakana and punctuation in full width; `text` itself when it has none.
    public static func fullwidth(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            if v == 0xFF9E || v == 0xFF9F, let last = out.last, let joined = voiced(last.value, semi: v == 0xFF9F) {
                out.removeLast()
                out.append(joined)
                continue
            }
            if (0xFF61...0xFF9F).contains(v), let full = Unicode.Scalar(table[Int(v - 0xFF61)]) {
                out.append(full)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// U+FF61… in order: ｡｢｣､･ｦ ｧｨｩｪｫｬｭｮｯ ｰ ｱ…ﾝ, then ﾞ ﾟ alone as ゛ ゜.
    static let table: [UInt32] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2,
        0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3,
        0x30FC,
        0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA,
        0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3,
        0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD,
        0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8,
        0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE,
        0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB,
        0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2,
        0x30E4, 0x30E6, 0x30E8,
        0x30E9, 0x30EA, 0x30EB, 0x30EC, 0x30ED,
        0x30EF, 0x30F3,
        0x309B, 0x309C,
    ]

    /// The voiced (or semi-voiced) form of a full-width katakana, if it has one.
    static func voiced(_ base: UInt32, semi: Bool) -> Unicode.Scalar? {
        let hagyo: ClosedRange<UInt32> = 0x30CF...0x30DB   // ハ ヒ フ ヘ ホ, each followed by its バ and パ
        if semi {
            return hagyo.contains(base) && (base - 0x30CF) % 3 == 0 ? Unicode.Scalar(base + 2) : nil
        }
        switch base {
        case 0x30AB...0x30C2 where (base - 0x30AB) % 2 == 0: return Unicode.Scalar(base + 1)   // カ…チ
        case 0x30C4, 0x30C6, 0x30C8: return Unicode.Scalar(base + 1)                            // ツ テ ト
        case hagyo where (base - 0x30CF) % 3 == 0: return Unicode.Scalar(base + 1)
        case 0x30A6: return Unicode.Scalar(0x30F4)   // ヴ
        case 0x30EF: return Unicode.Scalar(0x30F7)   // ヷ
        case 0x30F2: return Unicode.Scalar(0x30FA)   // ヺ
        default: return nil
        }
    }
}
