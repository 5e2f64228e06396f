import Foundation

/// QR Code model 2 (ISO/IEC 18004:2015) for text in numeric, alphanumeric and byte modes.
///
/// Written here rather than taken from zint because a resident-tax run draws an eL-QR on every
/// notice: zint 2.11 scores the eight masks slowly enough to be half of a page's rendering time. This
/// encoder picks the mask by the same four penalty rules, on flat byte grids. Text outside ASCII goes
/// to zint (`QRCode.symbol`), which knows Shift JIS kanji mode and ECI.
public enum QRCode {
    /// The symbol for `text`: this encoder for ASCII, zint for anything else.
    public static func symbol(_ text: String, level: QRErrorCorrection) throws -> ModuleMatrix {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return try encode(Array(text.utf8), level: level) }
        return try Zint.encode(.qr, text, qrLevel: level)
    }

    /// Encodes bytes (read as ISO 8859-1 by a reader) at the smallest version that holds them at
    /// `level`; `mask` forces a mask pattern (0–7) instead of the lowest-penalty one.
    public static func encode(_ data: [UInt8], level: QRErrorCorrection, mask forced: Int? = nil) throws -> ModuleMatrix {
        // No QR code holds more than 7,089 characters (digits, version 40-L): refuse longer data before
        // segmenting it, which takes memory in proportion to its length.
        guard data.count <= 7_089 else {
            throw BarcodeError("\(data.count) characters are more than any QR code holds (7,089 digits at most)")
        }
        var chosen: (version: Int, segments: [Segment], bits: Int)?
        var lastGroup = -1
        var segments: [Segment] = []
        for version in 1...40 {
            let group = countGroup(version)
            if group != lastGroup { segments = segment(data, group: group); lastGroup = group }
            let bits = segments.reduce(0) { $0 + $1.bitLength(group: group) }
            if bits <= dataCodewords(version, level) * 8 { chosen = (version, segments, bits); break }
        }
        guard let (version, segs, _) = chosen else {
            throw BarcodeError("\(data.count) bytes do not fit a version-40 QR code at error correction \(level.rawValue)")
        }
        let capacity = dataCodewords(version, level)
        var buffer = BitBuffer()
        for s in segs { s.append(to: &buffer, group: countGroup(version), data: data) }
        buffer.append(0, count: min(4, capacity * 8 - buffer.count))
        buffer.append(0, count: (8 - buffer.count % 8) % 8)
        var codewords = buffer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity { codewords.append(pad); pad ^= 0xEC ^ 0x11 }
        let stream = interleave(codewords, version: version, level: level)

        var grid = Grid(version: version)
        grid.drawFunctionPatterns()
        grid.place(stream)
        let mask: Int
        if let m = forced {
            guard (0..<8).contains(m) else { throw BarcodeError("a QR mask is a number from 0 to 7, not \(m)") }
            mask = m
        } else {
            mask = grid.lowestPenaltyMask(level: level)
        }
        grid.apply(mask: mask)
        grid.drawFormat(level: level, mask: mask)
        return ModuleMatrix(rows: grid.size, columns: grid.size, bits: grid.modules.map { $0 != 0 })
    }

    // MARK: Segments

    enum Mode: Int, CaseIterable {
        case numeric, alphanumeric, byte
        var indicator: UInt32 { [1, 2, 4][rawValue] }
        /// Bits of the character count for versions 1–9, 10–26 and 27–40.
        func countBits(group: Int) -> Int { [[10, 12, 14], [9, 11, 13], [8, 16, 16]][rawValue][group] }
    }

    struct Segment {
        var mode: Mode
        var start: Int
        var count: Int

        func bitLength(group: Int) -> Int {
            let payload: Int
            switch mode {
            case .numeric: payload = count / 3 * 10 + [0, 4, 7][count % 3]
            case .alphanumeric: payload = count / 2 * 11 + count % 2 * 6
            case .byte: payload = count * 8
            }
            return 4 + mode.countBits(group: group) + payload
        }

        func append(to b: inout BitBuffer, group: Int, data: [UInt8]) {
            b.append(mode.indicator, count: 4)
            b.append(UInt32(count), count: mode.countBits(group: group))
            let chars = data[start..<(start + count)]
            switch mode {
            case .numeric:
                var i = chars.startIndex
                while i < chars.endIndex {
                    let n = min(3, chars.endIndex - i)
                    var v: UInt32 = 0
                    for c in chars[i..<(i + n)] { v = v * 10 + UInt32(c - 48) }
                    b.append(v, count: [0, 4, 7, 10][n])
                    i += n
                }
            case .alphanumeric:
                var i = chars.startIndex
                while i < chars.endIndex {
                    if i + 1 < chars.endIndex {
                        b.append(UInt32(alphanumericValue[Int(chars[i])]) * 45 + UInt32(alphanumericValue[Int(chars[i + 1])]), count: 11)
                        i += 2
                    } else {
                        b.append(UInt32(alphanumericValue[Int(chars[i])]), count: 6)
                        i += 1
                    }
                }
            case .byte:
                for c in chars { b.append(UInt32(c), count: 8) }
            }
        }
    }

    /// Alphanumeric mode's values by byte; -1 where the byte is not in the 45-character set.
    static let alphanumericValue: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    static func countGroup(_ version: Int) -> Int { version <= 9 ? 0 : version <= 26 ? 1 : 2 }

    /// The mode switches that make the shortest bit stream (ISO 18004 Annex J's idea as a shortest
    /// path): costs are kept in sixths of a bit so that numeric's 10/3 and alphanumeric's 11/2 bits a
    /// character stay whole numbers.
    static func segment(_ data: [UInt8], group: Int) -> [Segment] {
        guard !data.isEmpty else { return [Segment(mode: .byte, start: 0, count: 0)] }
        let modes = Mode.allCases
        let charCost = [20, 33, 48]
        let head = modes.map { (4 + $0.countBits(group: group)) * 6 }
        let n = data.count
        let inf = Int.max / 4
        // cost[i][m]: cheapest encoding of data[..<i+1] whose last character is in mode m;
        // from[i][m]: the mode of character i-1 on that path.
        var cost = [[Int]](repeating: [inf, inf, inf], count: n)
        var from = [[Int]](repeating: [0, 0, 0], count: n)
        for i in 0..<n {
            let c = data[i]
            for m in 0..<3 {
                let fits = m == 2 || (m == 0 ? (c >= 48 && c <= 57) : alphanumericValue[Int(c)] >= 0)
                guard fits else { continue }
                if i == 0 { cost[0][m] = head[m] + charCost[m]; continue }
                for p in 0..<3 where cost[i - 1][p] < inf {
                    // Staying in a mode rounds up only at its end; a switch ends the last segment.
                    let v = p == m ? cost[i - 1][p] + charCost[m] : (cost[i - 1][p] + 5) / 6 * 6 + head[m] + charCost[m]
                    if v < cost[i][m] { cost[i][m] = v; from[i][m] = p }
                }
            }
        }
        var mode = (0..<3).min { (cost[n - 1][$0] + 5) / 6 < (cost[n - 1][$1] + 5) / 6 } ?? 2
        var modesByChar = [Int](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            modesByChar[i] = mode
            mode = from[i][mode]
        }
        var out: [Segment] = []
        for i in 0..<n {
            if let last = out.last, last.mode.rawValue == modesByChar[i] { out[out.count - 1].count += 1 }
            else { out.append(Segment(mode: modes[modesByChar[i]], start: i, count: 1)) }
        }
        return out
    }

    // MARK: Capacity and error correction

    /// Error-correction codewords per block, by level (L, M, Q, H) and version.
    static let eccPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]
    /// Error-correction blocks, by level and version.
    static let blocks: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    static func levelIndex(_ level: QRErrorCorrection) -> Int { ["L": 0, "M": 1, "Q": 2, "H": 3][level.rawValue] ?? 1 }

    /// Modules left for data and error correction once the function patterns are drawn.
    static func rawDataModules(_ v: Int) -> Int {
        var n = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            n -= (25 * align - 10) * align - 55
            if v >= 7 { n -= 36 }
        }
        return n
    }

    static func dataCodewords(_ v: Int, _ level: QRErrorCorrection) -> Int {
        let l = levelIndex(level)
        return rawDataModules(v) / 8 - eccPerBlock[l][v] * blocks[l][v]
    }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords and interleaves them.
    static func interleave(_ data: [UInt8], version v: Int, level: QRErrorCorrection) -> [UInt8] {
        let l = levelIndex(level)
        let count = blocks[l][v], ecc = eccPerBlock[l][v]
        let raw = rawDataModules(v) / 8
        let short = count - raw % count
        let shortLength = raw / count
        let generator = ReedSolomon.generator(degree: ecc)
        var parts: [(data: ArraySlice<UInt8>, ecc: [UInt8])] = []
        var k = 0
        for i in 0..<count {
            let length = shortLength - ecc + (i < short ? 0 : 1)
            let d = data[k..<(k + length)]
            k += length
            parts.append((d, ReedSolomon.remainder(d, generator: generator)))
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw)
        for i in 0...(shortLength - ecc) {
            for p in parts where i < p.data.count { out.append(p.data[p.data.startIndex + i]) }
        }
        for i in 0..<ecc { for p in parts { out.append(p.ecc[i]) } }
        return out
    }

    // MARK: Module grid

    struct Grid {
        let version: Int
        let size: Int
        var modules: [UInt8]
        var function: [Bool]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            modules = [UInt8](repeating: 0, count: size * size)
            function = [Bool](repeating: false, count: size * size)
        }

        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y * size + x] = dark ? 1 : 0
            function[y * size + x] = true
        }

        mutating func drawFunctionPatterns() {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 {
                        let x = cx + dx, y = cy + dy
                        guard x >= 0, x < size, y >= 0, y < size else { continue }
                        let d = max(abs(dx), abs(dy))
                        set(x, y, d != 2 && d != 4)
                    }
                }
            }
            let centres = alignmentCentres
            for (i, ay) in centres.enumerated() {
                for (j, ax) in centres.enumerated() {
                    // Not over the three finder patterns.
                    if (i == 0 && j == 0) || (i == 0 && j == centres.count - 1) || (i == centres.count - 1 && j == 0) { continue }
                    for dy in -2...2 { for dx in -2...2 { set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) } }
                }
            }
            // Reserve the format areas (drawn once the mask is known) and draw the version.
            drawFormat(bits: 0)
            if version >= 7 {
                var rem = version
                for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
                let bits = version << 12 | rem
                for i in 0..<18 {
                    let dark = (bits >> i) & 1 != 0
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, dark)
                    set(b, a, dark)
                }
            }
        }

        var alignmentCentres: [Int] {
            guard version >= 2 else { return [] }
            let count = version / 7 + 2
            let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
            var out = [6]
            var pos = size - 7
            while out.count < count { out.insert(pos, at: 1); pos -= step }
            return out
        }

        mutating func drawFormat(level: QRErrorCorrection, mask: Int) {
            let ecl = [1, 0, 3, 2][QRCode.levelIndex(level)]
            let data = ecl << 3 | mask
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            drawFormat(bits: (data << 10 | rem) ^ 0x5412)
        }

        mutating func drawFormat(bits: Int) {
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// Data bits up and down two-module columns from the right, skipping the timing column.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            let total = codewords.count * 8
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for vert in 0..<size {
                    let y = upward ? size - 1 - vert : vert
                    for j in 0..<2 {
                        let x = right - j
                        guard !function[y * size + x] else { continue }
                        if i < total {
                            modules[y * size + x] = (codewords[i >> 3] >> (7 - UInt8(i & 7))) & 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        static func maskBit(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: return (x + y) % 2 == 0
            case 1: return y % 2 == 0
            case 2: return x % 3 == 0
            case 3: return (x + y) % 3 == 0
            case 4: return (x / 3 + y / 2) % 2 == 0
            case 5: return x * y % 2 + x * y % 3 == 0
            case 6: return (x * y % 2 + x * y % 3) % 2 == 0
            default: return ((x + y) % 2 + x * y % 3) % 2 == 0
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !function[y * size + x] && Self.maskBit(mask, x: x, y: y) {
                    modules[y * size + x] ^= 1
                }
            }
        }

        func lowestPenaltyMask(level: QRErrorCorrection) -> Int {
            if version < WordLayout.all.count, let layout = WordLayout.all[version] {
                return layout.lowestPenaltyMask(self, level: level)
            }
            var best = 0, bestScore = Int.max
            for mask in 0..<8 {
                var trial = self
                trial.apply(mask: mask)
                trial.drawFormat(level: level, mask: mask)
                let score = trial.penalty()
                if score < bestScore { best = mask; bestScore = score }
            }
            return best
        }

        /// ISO 18004 §7.8.3: runs of five or more, 2×2 blocks, finder-like 1:1:3:1:1 patterns
        /// preceded or followed by four light modules (the quiet zone counting as light; a pattern
        /// counts once even when light on both sides), and dark-module balance.
        func penalty() -> Int {
            let n = size
            return modules.withUnsafeBufferPointer { m -> Int in
                var score = 0
                for line in 0..<n {
                    for across in [true, false] {
                        var colour: UInt8 = 2, run = 0
                        // The last 15 modules seen, newest lowest; before the symbol and after it, light.
                        var window: UInt32 = 0
                        for i in 0..<(n + 4) {
                            let v: UInt8 = i >= n ? 0 : across ? m[line * n + i] : m[i * n + line]
                            if i < n {
                                if v == colour {
                                    run += 1
                                    if run == 5 { score += 3 } else if run > 5 { score += 1 }
                                } else {
                                    colour = v
                                    run = 1
                                }
                            }
                            window = ((window << 1) | UInt32(v)) & 0x7FFF
                            // 1011101 in the middle, four light modules before it or after it.
                            if (window >> 4) & 0x7F == 0x5D, window >> 11 == 0 || window & 0xF == 0 { score += 40 }
                        }
                    }
                }
                var dark = 0
                for y in 0..<n {
                    for x in 0..<n {
                        let v = m[y * n + x]
                        dark += Int(v)
                        if x + 1 < n, y + 1 < n, v == m[y * n + x + 1], v == m[(y + 1) * n + x], v == m[(y + 1) * n + x + 1] { score += 3 }
                    }
                }
                let total = n * n
                score += ((abs(dark * 20 - total * 10) + total - 1) / total - 1) * 10
                return score
            }
        }
    }
}

extension QRCode {
    /// Mask scoring on whole rows and columns at once, one 64-bit word each (versions 1–11, up to
    /// 61 modules across — eL-QR and control codes are well inside). What depends only on the version
    /// — which modules each mask flips, and the format information of each level and mask — is worked
    /// out once per version; a symbol then costs a few word operations a row for each mask.
    struct WordLayout: Sendable {
        static let all: [WordLayout?] = (0...11).map { $0 == 0 ? nil : WordLayout(version: $0) }

        let size: Int
        /// maskRows[m][y] / maskColumns[m][x]: the modules mask m flips.
        let maskRows: [[UInt64]], maskColumns: [[UInt64]]
        /// The format information of (level index × 8 + mask), as rows and columns.
        let formatRows: [[UInt64]], formatColumns: [[UInt64]]

        init(version: Int) {
            var grid = Grid(version: version)
            grid.drawFunctionPatterns()
            let n = grid.size
            size = n
            var mr: [[UInt64]] = [], mc: [[UInt64]] = []
            for mask in 0..<8 {
                var rows = [UInt64](repeating: 0, count: n), columns = rows
                for y in 0..<n {
                    for x in 0..<n where !grid.function[y * n + x] && Grid.maskBit(mask, x: x, y: y) {
                        rows[y] |= 1 << UInt64(x)
                        columns[x] |= 1 << UInt64(y)
                    }
                }
                mr.append(rows)
                mc.append(columns)
            }
            maskRows = mr
            maskColumns = mc
            var fr: [[UInt64]] = [], fc: [[UInt64]] = []
            for level in QRErrorCorrection.allCases {
                for mask in 0..<8 {
                    var g = Grid(version: version)
                    g.drawFormat(level: level, mask: mask)
                    let (r, c) = WordLayout.words(g.modules, n)
                    fr.append(r)
                    fc.append(c)
                }
            }
            formatRows = fr
            formatColumns = fc
        }

        static func words(_ modules: [UInt8], _ n: Int) -> (rows: [UInt64], columns: [UInt64]) {
            var rows = [UInt64](repeating: 0, count: n), columns = rows
            for y in 0..<n {
                for x in 0..<n where modules[y * n + x] != 0 {
                    rows[y] |= 1 << UInt64(x)
                    columns[x] |= 1 << UInt64(y)
                }
            }
            return (rows, columns)
        }

        func lowestPenaltyMask(_ grid: Grid, level: QRErrorCorrection) -> Int {
            let n = size
            // The format areas are blank (light) in the grid until the mask is chosen.
            let (base, baseColumns) = WordLayout.words(grid.modules, n)
            var rows = base, columns = baseColumns
            var best = 0, bestScore = Int.max
            for mask in 0..<8 {
                let f = QRCode.levelIndex(level) * 8 + mask
                for i in 0..<n {
                    rows[i] = base[i] ^ maskRows[mask][i] | formatRows[f][i]
                    columns[i] = baseColumns[i] ^ maskColumns[mask][i] | formatColumns[f][i]
                }
                let score = WordLayout.penalty(rows: rows, columns: columns, size: n)
                if score < bestScore { best = mask; bestScore = score }
            }
            return best
        }

        /// The four rules of `Grid.penalty` on words: bit x of a row is the module in column x.
        static func penalty(rows: [UInt64], columns: [UInt64], size n: Int) -> Int {
            let all: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
            func lines(_ words: [UInt64]) -> Int {
                var score = 0
                for r in words {
                    // e: module x equals module x+1. Each window of five equal modules scores 1, and
                    // each run that holds one scores 2 more: a run of L ≥ 5 scores L − 2.
                    let e = ~(r ^ (r >> 1)) & (all >> 1)
                    let five = e & (e >> 1) & (e >> 2) & (e >> 3)
                    let starts = five & ~(e << 1)
                    score += five.nonzeroBitCount + 2 * starts.nonzeroBitCount
                    // 1011101 starting at x, light (or outside) for four modules before or after.
                    let core = r & ~(r >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & ~(r >> 5) & (r >> 6) & (all >> 6)
                    if core != 0 {
                        let before = ~((r << 1) | (r << 2) | (r << 3) | (r << 4))
                        let after = ~((r >> 7) | (r >> 8) | (r >> 9) | (r >> 10))
                        score += 40 * (core & (before | after)).nonzeroBitCount
                    }
                }
                return score
            }
            var score = lines(rows) + lines(columns)
            var dark = 0
            for y in 0..<n {
                dark += rows[y].nonzeroBitCount
                if y + 1 < n {
                    let a = rows[y], b = rows[y + 1]
                    let blocks = ~(a ^ (a >> 1)) & ~(b ^ (b >> 1)) & ~(a ^ b) & (all >> 1)
                    score += 3 * blocks.nonzeroBitCount
                }
            }
            let total = n * n
            score += ((abs(dark * 20 - total * 10) + total - 1) / total - 1) * 10
            return score
        }
    }
}

/// Bits appended most significant first, packed into bytes.
struct BitBuffer {
    var bytes: [UInt8] = []
    var count = 0

    mutating func append(_ value: UInt32, count n: Int) {
        for i in stride(from: n - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> UInt32(i)) & 1 != 0 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

/// Reed–Solomon over GF(256) with QR's polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static let exp: [UInt8] = {
        var e = [UInt8](repeating: 0, count: 512)
        var x = 1
        for i in 0..<255 {
            e[i] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        for i in 255..<512 { e[i] = e[i - 255] }
        return e
    }()
    static let log: [UInt8] = {
        var l = [UInt8](repeating: 0, count: 256)
        for i in 0..<255 { l[Int(exp[i])] = UInt8(i) }
        return l
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[Int(log[Int(a)]) + Int(log[Int(b)])]
    }

    /// The coefficients of (x − α⁰)(x − α¹)…(x − α^(degree−1)), highest power first, leading 1 dropped.
    static func generator(degree: Int) -> [UInt8] {
        var g = [UInt8](repeating: 0, count: degree)
        g[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                g[j] = multiply(g[j], root)
                if j + 1 < degree { g[j] ^= g[j + 1] }
            }
            root = multiply(root, 2)
        }
        return g
    }

    static func remainder(_ data: ArraySlice<UInt8>, generator g: [UInt8]) -> [UInt8] {
        let n = g.count
        let logG = g.map { Int(log[Int($0)]) }
        var r = [UInt8](repeating: 0, count: n)
        r.withUnsafeMutableBufferPointer { r in
            for b in data {
                let factor = b ^ r[0]
                for i in 0..<(n - 1) { r[i] = r[i + 1] }
                r[n - 1] = 0
                guard factor != 0 else { continue }
                let lf = Int(log[Int(factor)])
                // Every generator coefficient is non-zero (a product of non-zero factors).
                for i in 0..<n { r[i] ^= exp[logG[i] + lf] }
            }
        }
        return r
    }
}
