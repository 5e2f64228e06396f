/// The portal's fixed words, beside the pages' common ones (`Language.labels`).
extension Language {
    var portalLabels: [String: String] {
        switch self {
        case .ja: return [
            "otherLanguage": "English", "listNote": "公開されたバッチの一覧です。バッチを開くと、ファイルのダウンロードと受領の記録ができます。",
            "published": "回収待ち", "collected": "受領済み", "printed": "印刷済み", "files": "ファイル", "file": "ファイル名", "size": "サイズ",
            "download": "ダウンロード", "downloadAll": "すべてまとめてダウンロード (tar)", 
            "filesNote": "中断したダウンロードは途中から再開できます（HTTP Range）。受け取ったファイルは SHA256SUMS で照合してください（sha256sum -c SHA256SUMS）。",
            "receipt": "受領", "received": "受領する",
            "receiptNote": "すべてのファイルを受け取ったら「受領する」を押してください。押すと、公開されたファイルのチェックサムを市のサーバーで再検証してから受領を記録します。",
            "receivedDone": "受領を記録しました。チェックサムはすべて一致しました。",
            "alreadyReceived": "このバッチは受領済みです。",
            "ackRefused": "受領を記録できませんでした。",
            "mismatch": "公開されたファイルのチェックサムが一覧（SHA256SUMS）と一致しません。次のファイルです。",
            "askCity": "このバッチはまだ受領されていません。市の担当者に連絡してください。",
        ]
        case .en: return [
            "otherLanguage": "日本語", "listNote": "The batches published to you. Open a batch to download its files and to record that you received it.",
            "published": "Ready for collection", "collected": "Received", "printed": "Printed", "files": "Files", "file": "File", "size": "Size",
            "download": "Download", "downloadAll": "Download everything (tar)", 
            "filesNote": "A broken download resumes where it stopped (HTTP Range). Check what you received against SHA256SUMS (sha256sum -c SHA256SUMS).",
            "receipt": "Receipt", "received": "Received",
            "receiptNote": "When you have every file, press \"Received\". The city's server checks the published files against their checksums again before it records the receipt.",
            "receivedDone": "Your receipt is recorded. Every checksum matched.",
            "alreadyReceived": "This batch has been received.",
            "ackRefused": "The receipt could not be recorded.",
            "mismatch": "The checksums of these published files do not match their list (SHA256SUMS):",
            "askCity": "The batch is not marked received. Please contact the city.",
        ]
        }
    }

    /// The common and the portal's words together.
    var allLabels: [String: String] { labels.merging(portalLabels) { _, portal in portal } }
}
