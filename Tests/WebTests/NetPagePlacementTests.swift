import Accounts
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

@Suite("Console: where a job's attempts ran")
struct NetPagePlacementTests {
    static func placeTwoAttempts(_ site: WebSite, _ runID: Int64) throws {
        try site.ops.store.db.write { db in
            for (n, node, id) in [(1, "n1", "41"), (2, "n2", "57")] {
                try db.execute(sql: """
                    INSERT INTO attempts (run_id, job, number, state, started_at, executor, node, slurm_job_id)
                    VALUES (?, 'a', ?, 'ended', 0, 'hpc', ?, ?)
                    """, arguments: [runID, n, node, id])
            }
        }
    }

    /// Two Slurm attempts of job a (n1 then n2): the net page's graph names both in the job's tooltip,
    /// the latest in its data-where; a job run here names none.
    @Test func theNetPageShowsEachAttemptsNodeAndSlurmJobID() async throws {
        let site = try WebSite()
        let runID = site.runID
        try Self.placeTwoAttempts(site, runID)
        let account = try #require(try site.accounts.account("viewer"))
        let session = try site.accounts.startSession(for: account, address: nil, now: site.clock.now)
        try await site.test { client in
            try await client.execute(uri: "/nets/demo", method: .get, headers: SessionTests.cookie(session.token)) { r in
                let body = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(body.contains("a: ") && body.contains("attempt 1: n1, Slurm job 41 (hpc)\nattempt 2: n2, Slurm job 57 (hpc)"), "\(body)")
                #expect(body.contains(#"data-job="a" data-state="#) && body.contains(#"data-where="attempt 2: n2, Slurm job 57 (hpc)""#))
                #expect(!body.contains(#"data-job="b" data-state="waiting" data-where"#))
            }
        }
    }
}
