import JobNets
import OperatorFiles
import Scheduler
import Spool

/// A refusal or failure of the operations layer, classified so each front end can answer in its own
/// terms (the CLI's exit 2 or 1, the web's 4xx). `message` is the sentence the operator reads.
public struct OperationError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The request is malformed: a bad name, date or option.
        case badInput
        /// What it names does not exist (run, job, net, batch, attempt).
        case notFound
        /// Well formed, but not possible in the current state (holding a running job).
        case refused
        /// The machine failed: a file could not be read or written, the printer did not answer.
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// Classifies an error thrown by the layers below (scheduler, spool, loaders) without changing its text.
    public static func classify(_ error: Error) -> OperationError {
        switch error {
        case let e as OperationError:
            return e
        case let e as RunControl.ControlError:
            switch e {
            case .noSuchRun, .noSuchJob, .noActiveRun: return OperationError(.notFound, e.description)
            case .refused: return OperationError(.refused, e.description)
            }
        case let e as SpoolError:
            switch e {
            case .unknownBatch: return OperationError(.notFound, e.description)
            case .notAllowed, .replaced, .checksumMismatch: return OperationError(.refused, e.description)
            case .badInput: return OperationError(.badInput, e.description)
            case .io, .printer: return OperationError(.failed, e.description)
            }
        case let e as ValidationFailure:
            return OperationError(.badInput, e.description)
        case let e as Site.NetNameError:
            return OperationError(.badInput, e.description)
        default:
            return OperationError(.failed, "\(error)")
        }
    }
}
