import Testing
@testable import Barcodes

@Suite struct CustomerBarcodeTests {
    /// Japan Post's Zip/Barcode manual, p.6: the two worked examples, bar by bar
    /// (F long, A ascender, D descender, T timing).
    @Test(arguments: [
        ("1540023", "3-16-4-205", "FDFFTFTFFADFTTFTTFDADFADFATFTFFTDAFTFTFADTFTFDAFTTFTFTDATDATDADAFDF"),
        ("3501106", "22-1A308", "FDDFAFTFFTTFFTFFTFTTDAFFDAFDATFTFFTDATFTTDFAFTTADFTDATDATDATDAFTFDF"),
    ])
    func publishedExamples(postal: String, address: String, bars: String) throws {
        let symbol = try CustomerBarcode.encode(postalCode: postal, address: address)
        #expect(symbol.barString == bars)
        #expect(symbol.bars.count == 67)
        #expect(symbol.values.count == 20)
        #expect((symbol.values.reduce(0, +) + symbol.check) % 19 == 0)
    }

    @Test func checkCharacterMakesTheSumAMultipleOf19() {
        // 1540023 3-16-4-205 and three CC4 fillers sum to 108; 108 + 6 = 114 = 6 × 19.
        #expect(CustomerBarcode.checkCharacter([1, 5, 4, 0, 0, 2, 3, 3, 10, 1, 6, 10, 4, 10, 2, 0, 5, 14, 14, 14]) == 6)
        #expect(CustomerBarcode.checkCharacter([19]) == 0)
        #expect(CustomerBarcode.checkCharacter([18]) == 1)
    }

    /// The worked examples of Japan Post's 郵便番号・バーコードマニュアル (p.17, p.21, p.25): the address,
    /// the data it reduces to (postal code + at most 13 characters) and the check character's value.
    @Test(arguments: [
        ("2630023", "千葉市稲毛区緑町3丁目30-8 郵便ビル403号", "26300233-30-8-403", 5),
        ("0140113", "秋田県大仙市堀見内 南田茂木 添60-1", "014011360-1", 18),
        ("1100016", "東京都台東区台東5-6-3 ABCビル10F", "11000165-6-3-10", 9),
        ("0600906", "北海道札幌市東区北六条東4丁目 郵便センター6号館", "06009064-6", 9),
        ("0650006", "北海道札幌市東区北六条東8丁目 郵便センター10号館", "06500068-10", 9),
        ("4070033", "山梨県韮崎市龍岡町下條南割 韮崎400", "4070033400", 10),
        ("2730102", "千葉県鎌ケ谷市右京塚 東3丁目-20-5 郵便・A&bコーポB604号", "27301023-20-5B604", 0),
        ("1980036", "東京都青梅市河辺町十一丁目六番地一号 郵便タワー601", "198003611-6-1-601", 18),
        ("0270203", "岩手県宮古市大字津軽石第二十一地割大淵川480", "027020321-480", 15),
        ("5900016", "大阪府堺市堺区中田出井町四丁六番十九号", "59000164-6-19", 12),
        ("0800831", "北海道帯広市稲田町南七線 西28", "08008317-28", 17),
        ("3170055", "茨城県日立市宮田町6丁目7-14 ABCビル2F", "31700556-7-14-2", 11),
        ("6500046", "神戸市中央区港島中町9丁目7-6 郵便シティA棟1F1号", "65000469-7-6A1-1", 5),
        ("6230011", "京都府綾部市青野町綾部6-7 LプラザB106", "62300116-7LB106", 4),
        ("0640804", "札幌市中央区南四条西29丁目1524-23 第2郵便ハウス501", "064080429-1524-23-2-", 3),
        ("2280024", "神奈川県座間市入谷6丁目3454-5 郵便ハイツ6-1108", "22800246-3454-5-6-11", 2),
        ("1000013", "東京都千代田区霞が関1丁目3番2号 郵便プラザ503室", "10000131-3-2-503", 9),
    ])
    func manualExamples(postal: String, address: String, data: String, check: Int) throws {
        let s = try CustomerBarcode.encode(postalCode: postal, address: address)
        // The manual prints data cut at 13 characters; ours keeps the whole reduction beside the values.
        #expect((s.postalCode + s.addressData).hasPrefix(data))
        #expect(s.check == check)
    }

    /// 福井県福井市新田塚3丁目80-25 J1ビル2-B: J is CC1 9, and B's control code falls on the 13th place,
    /// so its digit is cut (manual p.25).
    @Test func aLetterCutAtTheThirteenthPlaceKeepsItsControlCode() throws {
        let s = try CustomerBarcode.encode(postalCode: "9100067", address: "福井県福井市新田塚3丁目80-25 J1ビル2-B")
        #expect(s.addressData == "3-80-25J1-2B")
        #expect(Array(s.values.dropFirst(7)) == [3, 10, 8, 0, 10, 2, 5, 11, 9, 1, 10, 2, 11])
        #expect(s.check == 9)
    }

    @Test(arguments: [
        ("夜鷹市緑町３丁目３０－８　郵便ビル４０３号", "3-30-8-403"),
        ("本町三丁目十一番地の二", "3-11"),  // the last 二 has no suffix after it, so it is not a number
        ("6丁目7-14 ABCビル2F201号室", "6-7-14-2-201"),
        ("四日市町12番3号", "12-3"),
        ("3-16-4-205", "3-16-4-205"),
        ("22-1A308", "22-1A308"),
        ("", ""),
    ])
    func addressData(address: String, expected: String) {
        #expect(CustomerBarcode.addressData(address) == expected)
    }

    @Test func lettersBecomeAControlCodeAndADigit() throws {
        // A = CC1 0, K = CC2 0, Z = CC3 5.
        let s = try CustomerBarcode.encode(postalCode: "100-0001", address: "1A2K3Z")
        #expect(Array(s.values.dropFirst(7).prefix(9)) == [1, 11, 0, 2, 12, 0, 3, 13, 5])
        #expect(s.postalCode == "1000001")
    }

    @Test func longDataIsCutAtThirteenCharacters() throws {
        let s = try CustomerBarcode.encode(postalCode: "1000001", address: "1234-5678-9012-345")
        #expect(Array(s.values.dropFirst(7)) == [1, 2, 3, 4, 10, 5, 6, 7, 8, 10, 9, 0, 1])
        // A letter whose control code falls on the 13th place keeps only the control code.
        let t = try CustomerBarcode.encode(postalCode: "1000001", address: "123456789012A")
        #expect(t.values.last == 11)
    }

    @Test func badPostalCodesAreRefused() {
        #expect(throws: BarcodeError.self) { try CustomerBarcode.encode(postalCode: "12345", address: "1-2") }
        #expect(throws: BarcodeError.self) { try CustomerBarcode.encode(postalCode: "12345AB", address: "1-2") }
    }

    /// zint (an independent implementation) draws JAPANPOST in three rows: the upper part, the timing
    /// row and the lower part. Both must give the same bars for the same data.
    @Test(arguments: ["15400233-16-4-205", "350110622-1A308", "10000011A2K3Z", "9800000123", "2630023ABC-1"])
    func agreesWithZint(data: String) throws {
        let postal = String(data.prefix(7)), address = String(data.dropFirst(7))
        let ours = try CustomerBarcode.encode(postalCode: postal, address: address)
        // zint keeps letters and hyphens as given; feed it our reduced data.
        let m = try Zint.encode(.japanPost, postal + ours.addressData)
        #expect(m.rows == 3)
        var bars = ""
        for col in stride(from: 0, to: m.columns, by: 2) {
            switch (m[0, col], m[2, col]) {
            case (true, true): bars.append("F")
            case (true, false): bars.append("A")
            case (false, true): bars.append("D")
            case (false, false): bars.append("T")
            }
        }
        #expect(bars == ours.barString)
    }
}

@Suite struct ConveniencePaymentTests {
    @Test func buildsFortyFourDigitsWithAGS1CheckDigit() throws {
        let p = try ConveniencePayment(company: "912345", free: "2026000001", reissue: "0", deadline: "2026-06-30", stamp: "0", amount: "123400")
        #expect(p.digits.count == 44)
        #expect(p.digits.hasPrefix("91912345000000000002026000001" + "0" + "260630" + "0" + "123400"))
        #expect(p.amount == 123_400)
        // Recompute the check digit by hand: weights 3,1,… from the right over the first 43 digits.
        let data = Array(p.digits.prefix(43)).map { Int(String($0))! }
        let sum = data.reversed().enumerated().reduce(0) { $0 + ($1.offset % 2 == 0 ? 3 : 1) * $1.element }
        #expect(Int(String(p.digits.last!))! == (10 - sum % 10) % 10)
        #expect(try ConveniencePayment(digits: p.digits) == p)
        #expect(p.humanReadable.joined().filter(\.isNumber) == p.digits)
    }

    @Test func refusesWhatDoesNotFit() {
        #expect(throws: BarcodeError.self) {
            try ConveniencePayment(company: "1", free: "1", reissue: "0", deadline: "260630", stamp: "0", amount: "1234567")
        }
        #expect(throws: BarcodeError.self) {
            try ConveniencePayment(company: "1", free: "1", reissue: "0", deadline: "2606", stamp: "0", amount: "1")
        }
        #expect(throws: BarcodeError.self) { try ConveniencePayment(digits: String(repeating: "9", count: 44)) }
    }

    /// Published codes: the payment guideline's sample (check digit 3), a code read from a real
    /// convenience-store receipt file (9) and bwip-js's documented example (4).
    @Test(arguments: [
        "9191234501234567890123456789010103310123000" + "3",
        "9192902321942000000000003755439999999999999" + "9",
        "9191234512345678901234567890112501310012340" + "4",
    ])
    func publishedPaymentCodes(code: String) throws {
        let p = try ConveniencePayment(digits: code)
        #expect(p.digits == code)
    }

    @Test func humanReadableLines() throws {
        let p = try ConveniencePayment(digits: "91912345012345678901234567890101033101230003")
        #expect(p.humanReadable == ["(91)912345-0123456789012345678901", "010331-0-123000-3"])
    }

    @Test func gs1CheckDigitOfAKnownCode() {
        // GTIN-13 4901234567894 (a textbook example): the same modulus-10 weight-3/1 rule.
        #expect(ConveniencePayment.checkDigit("490123456789") == 4)
    }
}
