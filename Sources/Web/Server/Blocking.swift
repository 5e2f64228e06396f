import Dispatch

/// Runs blocking work (SQLite, files, the scheduler's command round-trip of up to 5 s) off the
/// cooperative thread pool, which has one thread per core here and must not stall.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
