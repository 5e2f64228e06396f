import Foundation

/// A Foundation file error in words: "cannot write out/vol-0001.pdf: No space left on device".
struct IOFailure {
    let message: String

    /// `file`: the file being written when the error does not name it (a FileHandle's write does not).
    init?(_ error: Error, file given: String? = nil) {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
        let file = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? given
        var posix: Int32?
        if ns.domain == NSPOSIXErrorDomain { posix = Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            posix = Int32(underlying.code)
        }
        let reason: String
        if let posix { reason = String(cString: strerror(posix)) } else {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: reason = "No space left on device"
            case .fileWriteVolumeReadOnly: reason = "Read-only file system"
            case .fileWriteNoPermission, .fileReadNoPermission: reason = "Permission denied"
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "No such file or directory"
            case .fileWriteFileExists: reason = "File exists"
            default: reason = "input/output error (code \(ns.code))"
            }
        }
        let code = CocoaError.Code(rawValue: ns.code)
        let verb = [.fileReadNoPermission, .fileReadNoSuchFile, .fileReadUnknown, .fileReadCorruptFile].contains(code) ? "read" : "write"
        message = "cannot \(verb) \(file ?? "a file"): \(reason)"
    }
}
