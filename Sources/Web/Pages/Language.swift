import Hummingbird

/// The language of a page: Japanese unless `?lang=en`, or the browser's Accept-Language prefers English.
enum Language: String, Sendable {
    case ja, en

    init(_ request: Request) {
        if let asked = request.uri.queryParameters.get("lang") {
            self = asked == "en" ? .en : .ja
            return
        }
        // The first language the browser lists decides; q-values are rarely out of order in practice.
        let first = request.headers[.acceptLanguage]?.split(separator: ",").first?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        self = first.hasPrefix("en") ? .en : .ja
    }

    /// The page's fixed words in this language.
    var labels: [String: String] {
        switch self {
        case .ja: return [
            "lang": "ja", "login": "ログイン", "name": "アカウント名", "password": "パスワード", "logout": "ログアウト",
            "signedIn": "ログイン中", "home": "Nightjar", "homeNote": "運用画面は準備中です。API は /api/v1 にあり、仕様は次の文書にあります。",
            "portal": "印刷委託業者ポータル", "batches": "回収待ち・回収済みのバッチ", "batch": "バッチ", "form": "様式",
            "notices": "通知数", "pages": "ページ数", "volumes": "分冊数", "state": "状態", "rendered": "作成日時",
            "none": "このアカウントに公開されたバッチはありません。",
        ]
        case .en: return [
            "lang": "en", "login": "Log in", "name": "Account", "password": "Password", "logout": "Log out",
            "signedIn": "Signed in as", "home": "Nightjar", "homeNote": "The operator's pages are coming. The API is under /api/v1, described by",
            "portal": "Print vendor portal", "batches": "Batches published to you", "batch": "Batch", "form": "Form",
            "notices": "Notices", "pages": "Pages", "volumes": "Volumes", "state": "State", "rendered": "Rendered",
            "none": "No batch has been published to this account.",
        ]
        }
    }
}
