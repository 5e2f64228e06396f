import Downloads
import Testing

/// RFC 9110 byte ranges: every form of a single range, the edges of the representation, what is
/// ignored (200) and what is unsatisfiable (416), If-Range.
@Suite struct RangeRequestTests {
    func r(_ first: Int64, _ last: Int64) -> RangeRequest { .partial(ByteRange(first: first, last: last)) }

    @Test func singleRangesOfA1000ByteFile() {
        let cases: [(String, RangeRequest)] = [
            ("bytes=0-499", r(0, 499)),
            ("bytes=500-999", r(500, 999)),
            ("bytes=500-", r(500, 999)),
            ("bytes=0-", r(0, 999)),
            ("bytes=999-", r(999, 999)),
            ("bytes=999-999", r(999, 999)),
            ("bytes=0-0", r(0, 0)),
            ("bytes=500-5000", r(500, 999)),              // last beyond the end: up to the end
            ("bytes=0-99999999999999999999999", r(0, 999)), // beyond Int64: saturates, still the end
            ("bytes=-1", r(999, 999)),
            ("bytes=-500", r(500, 999)),
            ("bytes=-1000", r(0, 999)),
            ("bytes=-5000", r(0, 999)),                   // suffix longer than the file: all of it
            ("bytes=-99999999999999999999999", r(0, 999)),
            ("BYTES=0-9", r(0, 9)),                       // the unit is case-insensitive
            ("Bytes=0-9", r(0, 9)),
            ("  bytes=0-9\t", r(0, 9)),                   // OWS around the field value
            ("bytes= 0-9 ", r(0, 9)),
            ("bytes=0-9,", r(0, 9)),                      // empty list elements are skipped
            ("bytes=,0-9, ,", r(0, 9)),
            ("bytes=1000-", .unsatisfiable),              // starts at the end
            ("bytes=1000-2000", .unsatisfiable),
            ("bytes=99999999999999999999999-", .unsatisfiable),
            ("bytes=-0", .unsatisfiable),                 // an empty suffix
        ]
        for (header, expected) in cases {
            #expect(RangeRequest(header: header, length: 1000) == expected, "\(header)")
        }
    }

    @Test func ignoredHeadersSendTheWholeFile() {
        let ignored = [
            "bytes=0-499,500-999",      // several ranges: served whole (see RangeRequest)
            "bytes=0-1,-1",
            "bytes=5000-6000,7000-",     // several, none satisfiable: still ignored, not 416
            "bytes=500-499",             // last before first: invalid
            "bytes=",                    // no range
            "bytes=,",
            "bytes=-",
            "bytes=--5",
            "bytes=a-b",
            "bytes=1-2-3",
            "bytes=+1-2",
            "bytes=0x10-20",
            "bytes=1 -2",
            "bytes=١-٢",                 // Arabic-Indic digits are not DIGIT
            "bytes=0.5-1",
            "bytes 0-9",                 // no "="
            "bytes =0-9",
            "items=0-9",                 // an unknown unit
            "=0-9",
            "",
            "0-9",
        ]
        for h in ignored { #expect(RangeRequest(header: h, length: 1000) == .whole, "\(h)") }
        #expect(RangeRequest(header: nil, length: 1000) == .whole)
    }

    @Test func anEmptyFileHasNoSatisfiableRange() {
        #expect(RangeRequest(header: "bytes=0-", length: 0) == .unsatisfiable)
        #expect(RangeRequest(header: "bytes=0-0", length: 0) == .unsatisfiable)
        #expect(RangeRequest(header: "bytes=-1", length: 0) == .unsatisfiable)
        #expect(RangeRequest(header: nil, length: 0) == .whole)
    }

    @Test func statusHeadersAndBytesToSend() {
        let partial = RangeRequest(header: "bytes=100-", length: 1000)
        #expect(partial.status == 206)
        #expect(partial.contentRange(length: 1000) == "bytes 100-999/1000")
        #expect(partial.bytes(length: 1000)! == (100, 900))
        let suffix = RangeRequest(header: "bytes=-1", length: 1000)
        #expect(suffix.contentRange(length: 1000) == "bytes 999-999/1000")
        #expect(suffix.bytes(length: 1000)! == (999, 1))
        let none = RangeRequest(header: "bytes=1000-", length: 1000)
        #expect(none.status == 416)
        #expect(none.contentRange(length: 1000) == "bytes */1000")
        #expect(none.bytes(length: 1000) == nil)
        let whole = RangeRequest(header: nil, length: 1000)
        #expect(whole.status == 200)
        #expect(whole.contentRange(length: 1000) == nil)
        #expect(whole.bytes(length: 1000)! == (0, 1000))
        #expect(ByteRange(first: 5, last: 5).count == 1)
        // A range of a file over 4 GiB.
        let big: Int64 = 6 << 30
        #expect(RangeRequest(header: "bytes=\(big - 10)-", length: big).contentRange(length: big) == "bytes \(big - 10)-\(big - 1)/\(big)")
    }

    @Test func ifRangeResumesOnlyTheSameVersion() {
        let tag = RangeRequest.entityTag("9f86d081884c7d65")
        #expect(tag == "\"9f86d081884c7d65\"")
        let same = RangeRequest(header: "bytes=10-", length: 100, ifRange: tag, entityTag: tag)
        #expect(same == r(10, 99))
        #expect(RangeRequest(header: "bytes=10-", length: 100, ifRange: " \(tag) ", entityTag: tag) == r(10, 99))
        for other in ["\"0000\"", "W/\(tag)", "Sat, 29 Oct 1994 19:43:31 GMT", "9f86d081884c7d65", ""] {
            #expect(RangeRequest(header: "bytes=10-", length: 100, ifRange: other, entityTag: tag) == .whole, "\(other)")
        }
        // No tag to compare with: the whole file. An If-Range without a Range changes nothing.
        #expect(RangeRequest(header: "bytes=10-", length: 100, ifRange: tag) == .whole)
        #expect(RangeRequest(header: nil, length: 100, ifRange: tag, entityTag: tag) == .whole)
        // A matching If-Range does not make an unsatisfiable range satisfiable.
        #expect(RangeRequest(header: "bytes=100-", length: 100, ifRange: tag, entityTag: tag) == .unsatisfiable)
    }
}
