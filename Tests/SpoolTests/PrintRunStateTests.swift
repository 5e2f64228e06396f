@testable import Printing
import Testing

/// A print's recorded state is typed: every outcome maps to the state kept in `print_runs`, and only
/// completed and cancelled prints count as finished (the others are resumed, never taken as done).
@Suite struct PrintRunStateTests {
    @Test(arguments: [PrintRun.Outcome.State.completed, .canceled, .failed, .pending])
    func everyOutcomeIsRecordedAsAState(outcome: PrintRun.Outcome.State) {
        let recorded = PrintRunState(outcome)
        switch outcome {
        case .completed: #expect(recorded == .completed && recorded.isFinished)
        case .canceled: #expect(recorded == .canceled && recorded.isFinished)
        case .failed: #expect(recorded == .failed && !recorded.isFinished)
        case .pending: #expect(recorded == .printing && !recorded.isFinished)
        }
        #expect(PrintRunState(rawValue: recorded.rawValue) == recorded)
    }
}
