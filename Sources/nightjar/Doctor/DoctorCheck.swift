import Foundation

/// One thing `nightjar doctor` looked at, what it found and, when it is not right, how to fix it.
struct DoctorCheck: Codable {
    enum Status: String, Codable {
        case ok
        /// Works, but something an operator should know (not a failure: exit 0).
        case warning
        case failed
    }

    var name: String
    var status: Status
    var detail: String
    var fix: String?

    static func ok(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(name: name, status: .ok, detail: detail) }
    static func warning(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, status: .warning, detail: detail, fix: fix)
    }
    static func failed(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, status: .failed, detail: detail, fix: fix)
    }
}
