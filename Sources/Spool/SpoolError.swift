/// What can go wrong with a batch, in words an operator understands. `isBadInput` errors are the
/// operator's (exit 2); the others are failures of the files or the printer (exit 1).
public enum SpoolError: Error, CustomStringConvertible, Sendable {
    case unknownBatch(Int64)
    case notAllowed(batch: Int64, state: BatchState, action: String)
    case badInput(String)
    case checksumMismatch(batch: Int64, files: [String])
    /// A later render took over the batch's directory: its files are that batch's now.
    case replaced(batch: Int64, by: Int64, directory: String)
    case io(String)
    /// CUPS refused or could not be reached.
    case printer(String)

    public var isBadInput: Bool {
        switch self {
        case .unknownBatch, .notAllowed, .badInput, .replaced: return true
        case .checksumMismatch, .io, .printer: return false
        }
    }

    public var description: String {
        switch self {
        case let .unknownBatch(id): return "no batch \(id) (see `nightjar spool list`)"
        case let .notAllowed(id, state, action): return "batch \(id) is \(state.rawValue): it cannot be \(action)"
        case let .badInput(m): return m
        case let .checksumMismatch(id, files):
            return "batch \(id): checksum mismatch in the published copy: \(files.joined(separator: ", "))"
        case let .replaced(id, later, directory):
            return "batch \(id) was replaced by batch \(later) (a later render wrote \(directory)): its files are gone; use batch \(later)"
        case let .io(m): return m
        case let .printer(m): return m
        }
    }
}
