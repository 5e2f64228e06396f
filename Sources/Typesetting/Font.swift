import CHarfBuzz
import Foundation

/// An OpenType/TrueType font loaded through HarfBuzz: glyph lookup, advances, variation sequences,
/// and the raw file for subsetting. Immutable after loading, so one instance serves every thread.
public final class Font: @unchecked Sendable {
    public let path: String
    public let postScriptName: String
    public let unitsPerEm: Int
    public let ascender: Int
    public let descender: Int
    public let capHeight: Int
    public let bbox: (Int, Int, Int, Int)
    let blob: OpaquePointer
    let face: OpaquePointer
    let font: OpaquePointer

    public enum FontError: Error, CustomStringConvertible {
        case cannotLoad(String)
        public var description: String {
            switch self {
            case .cannotLoad(let p): return "cannot load the font \(p); is the font package installed?"
            }
        }
    }

    public init(path: String) throws {
        guard FileManager.default.isReadableFile(atPath: path), let b = hb_blob_create_from_file_or_fail(path) else {
            throw FontError.cannotLoad(path)
        }
        blob = b
        face = hb_face_create(b, 0)
        guard hb_face_get_glyph_count(face) > 0 else { throw FontError.cannotLoad(path) }
        font = hb_font_create(face)
        hb_font_make_immutable(font)
        self.path = path
        unitsPerEm = Int(hb_face_get_upem(face))
        var extents = hb_font_extents_t()
        hb_font_get_h_extents(font, &extents)
        ascender = Int(extents.ascender)
        descender = Int(extents.descender)
        var cap: Int32 = 0
        capHeight = hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) != 0 ? Int(cap) : ascender
        bbox = (0, Int(extents.descender), unitsPerEm, Int(extents.ascender))
        var buf = [CChar](repeating: 0, count: 128)
        var len: UInt32 = 128
        // English: the process locale (C, in a batch) would match no name record and leave the file's name.
        _ = hb_ot_name_get_utf8(face, hb_ot_name_id_t(HB_OT_NAME_ID_POSTSCRIPT_NAME), hb_language_from_string("en", -1), &len, &buf)
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        postScriptName = name.isEmpty ? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent : name
        alternates = Self.sharedGlyphs(face: face, font: font)
    }

    /// Characters that share their glyph with a lower code point (IPAmj draws U+3000 with U+2003's
    /// glyph, 〜 and ～ alike, ‐ like -): each gets a CID of its own after the last glyph id, so the
    /// ToUnicode map can give every character back to text extraction instead of one per glyph.
    let alternates: [UInt32: (glyph: UInt32, cid: UInt32)]

    static func sharedGlyphs(face: OpaquePointer, font: OpaquePointer) -> [UInt32: (glyph: UInt32, cid: UInt32)] {
        guard let set = hb_set_create() else { return [:] }
        defer { hb_set_destroy(set) }
        hb_face_collect_unicodes(face, set)
        var next = UInt32(hb_face_get_glyph_count(face))
        var first: [UInt32: UInt32] = [:]
        var out: [UInt32: (glyph: UInt32, cid: UInt32)] = [:]
        var cp = hb_codepoint_t(UInt32.max)   // HB_SET_VALUE_INVALID: start before the first
        while hb_set_next(set, &cp) != 0 {
            var g: hb_codepoint_t = 0
            guard hb_font_get_nominal_glyph(font, cp, &g) != 0, g != 0 else { continue }
            if first[g] == nil { first[g] = cp; continue }
            // Identity-H codes are two bytes: past 0xFFFF the character keeps the shared glyph's CID.
            guard next <= 0xFFFF else { break }
            out[cp] = (g, next)
            next += 1
        }
        return out
    }

    /// The CID for `glyph` drawn for `text`: the glyph id, unless `text` is one character that shares
    /// this glyph with a lower code point.
    public func cid(glyph: UInt32, text: String) -> UInt32 {
        guard !alternates.isEmpty, let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1,
              let a = alternates[scalar.value], a.glyph == glyph else { return glyph }
        return a.cid
    }

    deinit {
        hb_font_destroy(font)
        hb_face_destroy(face)
        hb_blob_destroy(blob)
    }

    /// The glyph for a character, or nil when the font has none (never draw a blank box).
    public func glyph(for scalar: Unicode.Scalar) -> UInt32? {
        var g: hb_codepoint_t = 0
        guard hb_font_get_nominal_glyph(font, scalar.value, &g) != 0, g != 0 else { return nil }
        return g
    }

    /// The glyph for a character with an Ideographic Variation Selector, from the font's format-14 cmap.
    public func glyph(for scalar: Unicode.Scalar, selector: Unicode.Scalar) -> UInt32? {
        var g: hb_codepoint_t = 0
        guard hb_font_get_variation_glyph(font, scalar.value, selector.value, &g) != 0, g != 0 else { return nil }
        return g
    }

    /// Horizontal advance in font units.
    public func advance(_ glyph: UInt32) -> Int {
        Int(hb_font_get_glyph_h_advance(font, glyph))
    }

    public var glyphCount: Int { Int(hb_face_get_glyph_count(face)) }

    /// A subset holding `glyphs` (and .notdef), with the glyph ids renumbered in ascending order of the
    /// original ids. Returns the font file and the mapping from original to new glyph ids.
    public func subset(glyphs: Set<UInt32>) -> (data: Data, newID: [UInt32: UInt32])? {
        guard let input = hb_subset_input_create_or_fail() else { return nil }
        defer { hb_subset_input_destroy(input) }
        let set = hb_subset_input_glyph_set(input)
        let sorted = glyphs.union([0]).sorted()
        for g in sorted { hb_set_add(set, g) }
        // Layout tables are not needed to draw fixed glyphs; dropping them keeps each subset small.
        let drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
        for tag in ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG"] {
            hb_set_add(drop, Self.tag(tag))
        }
        hb_subset_input_set_flags(input, UInt32(HB_SUBSET_FLAGS_DESUBROUTINIZE.rawValue))
        // The subsetter adds the components of composite glyphs (IPAmj is full of them), so new ids
        // cannot be guessed from the requested set: ask the plan for each glyph's new id.
        guard let plan = hb_subset_plan_create_or_fail(face, input) else { return nil }
        defer { hb_subset_plan_destroy(plan) }
        guard let sub = hb_subset_plan_execute_or_fail(plan) else { return nil }
        defer { hb_face_destroy(sub) }
        let out = hb_face_reference_blob(sub)
        defer { hb_blob_destroy(out) }
        var length: UInt32 = 0
        guard let bytes = hb_blob_get_data(out, &length), length > 0 else { return nil }
        let oldToNew = hb_subset_plan_old_to_new_glyph_mapping(plan)
        var map: [UInt32: UInt32] = [:]
        for g in sorted {
            let n = hb_map_get(oldToNew, g)
            guard n != UInt32.max else { return nil }   // HB_MAP_VALUE_INVALID
            map[g] = n
        }
        return (Data(bytes: bytes, count: Int(length)), map)
    }

    static func tag(_ s: String) -> hb_tag_t {
        let b = Array(s.utf8)
        return (UInt32(b[0]) << 24) | (UInt32(b[1]) << 16) | (UInt32(b[2]) << 8) | UInt32(b[3])
    }
}
