/// The body of `POST /api/v1/batches/{batch}/print`: the CLI's `print` options as JSON.
struct PrintRequest: Decodable, Sendable {
    /// The CUPS queue (`--printer`); a reprint of notices defaults to the batch's last print's.
    var printer: String?
    /// IPP job options as `name=value` (`-o`).
    var options: [String]?
    /// Print only these notices (keys from the manifest; `--notices`).
    var notices: [String]?
    /// Pages per IPP job at most (`--pages-per-job`).
    var pagesPerJob: Int?
    /// Print a batch that has been printed already once more (`--again`).
    var again: Bool?
    var reason: String?

    enum CodingKeys: String, CodingKey { case printer, options, notices, pagesPerJob = "pages_per_job", again, reason }

    static let empty = PrintRequest()

    /// Lists and sentences of a sensible size: the body limit alone would allow thousands of options.
    func checked() throws -> PrintRequest {
        if let reason, reason.count > 1000 { throw WebError(.unprocessableContent, "the reason is longer than 1000 characters") }
        if let options, options.count > 100 { throw WebError(.unprocessableContent, "give at most 100 options") }
        if let printer, printer.isEmpty || printer.count > 127 {
            throw WebError(.unprocessableContent, "the printer is a CUPS queue name of 1 to 127 characters")
        }
        if let notices, notices.isEmpty { throw WebError(.unprocessableContent, "\"notices\" is empty: leave it out to print the whole batch") }
        return self
    }
}
