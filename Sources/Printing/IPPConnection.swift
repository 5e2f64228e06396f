import CCups
import Foundation
import Spool

/// The state of an IPP job as CUPS reports it (`job-state`, RFC 8011 §5.3.7).
public enum IPPJobState: Int32, Sendable {
    case pending = 3, held = 4, processing = 5, stopped = 6, canceled = 7, aborted = 8, completed = 9

    public var name: String {
        switch self {
        case .pending: "pending"; case .held: "held"; case .processing: "processing"; case .stopped: "stopped"
        case .canceled: "canceled"; case .aborted: "aborted"; case .completed: "completed"
        }
    }
    public var isTerminal: Bool { rawValue >= 7 }
}

/// One HTTP connection to a CUPS scheduler (the one `CUPS_SERVER` or client.conf names), through
/// libcups: Create-Job + Send-Document per IPP job, Get-Job-Attributes to follow it.
public final class IPPConnection {
    let http: OpaquePointer

    public init(server: String? = nil) throws {
        if let server { cupsSetServer(server) }
        guard let h = httpConnect2(cupsServer(), ippPort(), nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 30_000, nil) else {
            throw SpoolError.printer("cannot reach CUPS at \(Self.serverName): \(Self.lastError)")
        }
        http = h
    }

    deinit { httpClose(http) }

    public static var serverName: String { "\(String(cString: cupsServer()))" + (String(cString: cupsServer()).hasPrefix("/") ? "" : ":\(ippPort())") }
    static var lastError: String { cupsLastErrorString().map { String(cString: $0) } ?? "unknown error" }
    static var failed: Bool { cupsLastError().rawValue > IPP_STATUS_OK_EVENTS_COMPLETE.rawValue }

    /// Create-Job with the options as given (libcups encodes them as cupsParseOptions would).
    public func createJob(printer: String, title: String, options: [(name: String, value: String)]) throws -> Int32 {
        var opts: UnsafeMutablePointer<cups_option_t>? = nil
        var n: Int32 = 0
        for o in options { n = cupsAddOption(o.name, o.value, n, &opts) }
        defer { cupsFreeOptions(n, opts) }
        let id = cupsCreateJob(http, printer, title, n, opts)
        guard id > 0 else { throw SpoolError.printer("Create-Job on \(printer): \(Self.lastError)") }
        return id
    }

    /// Send-Document: the file's bytes, unchanged, as application/pdf, the job's last document.
    public func sendDocument(printer: String, job: Int32, path: String, name: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard cupsStartDocument(http, printer, job, name, "application/pdf", 1) == HTTP_STATUS_CONTINUE else {
            throw SpoolError.printer("Send-Document for job \(job): \(Self.lastError)")
        }
        let size = 1 << 20
        let buf = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        defer { buf.deallocate() }
        while true {
            let n = read(fd, buf, size)
            if n < 0 { if errno == EINTR { continue }; throw SpoolError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            guard cupsWriteRequestData(http, buf, n) == HTTP_STATUS_CONTINUE else {
                throw SpoolError.printer("sending job \(job): \(Self.lastError)")
            }
        }
        guard cupsFinishDocument(http, printer) == IPP_STATUS_OK else {
            throw SpoolError.printer("finishing job \(job): \(Self.lastError)")
        }
    }

    /// A job's state and CUPS's message about it; nil when CUPS does not know the job.
    public func jobState(_ job: Int32, printer: String) throws -> (state: IPPJobState, message: String?)? {
        let req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(printer)")
        ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        let resp = cupsDoRequest(http, req, "/")
        defer { ippDelete(resp) }
        if cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND { return nil }
        guard let resp, !Self.failed else { throw SpoolError.printer("asking CUPS about job \(job): \(Self.lastError)") }
        guard let a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM), let s = IPPJobState(rawValue: ippGetInteger(a, 0)) else {
            throw SpoolError.printer("CUPS sent no job-state for job \(job)")
        }
        let message = ippFindAttribute(resp, "job-printer-state-message", IPP_TAG_TEXT).flatMap { ippGetString($0, 0, nil) }.map { String(cString: $0) }
        if let message, !message.isEmpty { return (s, message) }
        // No message from the printer: CUPS's reasons say why a job waits (a stopped queue, a hold).
        var reasons: [String] = []
        if !s.isTerminal, let a = ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD) {
            for i in 0..<ippGetCount(a) {
                if let r = ippGetString(a, i, nil).map({ String(cString: $0) }), !Self.routineReasons.contains(r) { reasons.append(r) }
            }
        }
        return (s, reasons.isEmpty ? nil : "job-state-reasons: " + reasons.joined(separator: ", "))
    }

    /// Reasons that say nothing a waiting operator needs to know.
    static let routineReasons: Set<String> = ["none", "job-queued", "job-printing", "job-incoming", "job-data-insufficient",
                                              "job-transforming", "processing-to-stop-point", "job-completed-successfully"]

    /// The queue's state: exists, stopped (paused), accepting, and its message.
    public func printerState(_ printer: String) throws -> (stopped: Bool, accepting: Bool, message: String?)? {
        let req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/printers/\(printer)")
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        let resp = cupsDoRequest(http, req, "/")
        defer { ippDelete(resp) }
        if cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND { return nil }
        guard let resp, !Self.failed else { throw SpoolError.printer("asking CUPS about \(printer): \(Self.lastError)") }
        let state = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM).map { ippGetInteger($0, 0) } ?? 3
        let accepting = ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN).map { ippGetBoolean($0, 0) != 0 } ?? true
        let message = ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT).flatMap { ippGetString($0, 0, nil) }.map { String(cString: $0) }
        return (state == 5, accepting, message?.isEmpty == true ? nil : message)
    }

    /// Cancel-Job (for a job whose document never finished arriving).
    public func cancel(_ job: Int32, printer: String) {
        _ = cupsCancelJob2(http, printer, job, 0)
    }
}
