/// The fixed words of the console's Run, Calendar, Spool, Alerts and Audit pages, beside the common
/// ones (`Language.labels`). States keep the words JP1 operators know (正常終了, 異常終了, 保留中).
extension Language {
    var consoleLabels: [String: String] {
        switch self {
        case .ja: return [
            "otherLanguage": "English", "console": "運用コンソール",
            "navTonight": "今夜の運用", "navCalendars": "カレンダー", "navSpool": "スプール", "navAlerts": "アラート", "navAudit": "監査ログ",
            // Runs and jobs
            "run": "実行", "net": "ジョブネット", "businessDate": "業務日付", "trigger": "契機", "created": "登録", "started": "開始",
            "ended": "終了", "duration": "所要時間", "jobs": "ジョブ", "job": "ジョブ", "attempt": "試行", "attempts": "試行",
            "exitCode": "終了コード", "message": "メッセージ", "start": "開始", "none": "—", "counts": "状態別の件数",
            "waiting": "実行待ち", "running": "実行中", "retry-wait": "再試行待ち", "normal": "正常終了", "warning": "警告終了",
            "abnormal": "異常終了", "skipped": "正常終了(手動)", "not-run": "未実行", "held": "保留中",
            "ended-attempt": "終了", "lost": "消失", "never-started": "未起動", "netHeld": "このジョブネット全体が保留中です",
            "logs": "ログ", "stdout": "標準出力", "stderr": "標準エラー出力", "downloadLog": "ログ全体をダウンロード",
            "logTail": "ログの末尾", "logEmpty": "出力はありません。", "logTruncated": "先頭を省略し、末尾だけを表示しています。",
            "following": "実行中のジョブのログを自動で追いかけています。", "reloadLog": "再読み込み",
            "noAttempts": "このジョブはまだ実行されていません。", "verdict": "判定", "signal": "シグナル",
            "actions": "操作", "reason": "理由", "reasonHint": "理由（監査ログに記録されます）",
            "hold": "保留", "release": "保留解除", "skip": "正常終了にする", "kill": "強制終了", "killRun": "この実行を強制終了",
            "rerun": "再実行", "rerunFrom": "このジョブから再実行", "rerunOnly": "このジョブだけ再実行", "rerunFailed": "失敗したジョブを再実行",
            "rerunScope": "再実行の範囲", "scopeFrom": "指定ジョブ以降", "scopeOnly": "指定ジョブのみ", "scopeFailed": "失敗したジョブ",
            "jobName": "ジョブ名", "viewerNote": "閲覧権限のため、操作ボタンは表示されません。",
            "done": "操作を受け付けました", "refused": "操作できませんでした", "back": "戻る", "forbidden": "権限がありません",
            "jobOf": "のジョブ", "allJobs": "すべてのジョブ", "filterState": "状態で絞り込み", "show": "表示",
            // Calendars and plan
            "calendars": "カレンダー", "calendar": "カレンダー", "standard": "標準（市役所の開庁日）", "month": "月", "prev": "前月", "next": "翌月",
            "operatingDays": "稼働日数", "closedDays": "休業日と理由", "openDays": "開庁日として指定された日", "closed": "休業", "holiday": "祝日",
            "plan": "実行予定", "planNote": "期間を指定すると、業務日付ごとの起動予定を表示します（nightjar plan と同じ）。",
            "from": "開始日", "to": "終了日", "startsAt": "起動時刻", "slot": "スロット", "noStarts": "この期間に起動予定はありません。",
            "startsPerDay": "日ごとの起動数", "date": "日付", "weekday": "曜日", "invalid": "設定に問題があります",
            "extends": "継承元", "calendarsNote": "Jobs/calendars/ のカレンダーと、calendar: を指定しないジョブネットが使う標準カレンダーです。",
            // Spool
            "spool": "スプール", "batches": "バッチ", "batch": "バッチ", "form": "様式", "state": "状態", "notices": "通知数", "pages": "ページ数",
            "records": "レコード数", "rejected": "除外", "volumes": "分冊数", "vendor": "委託業者", "user": "操作者", "rendered": "作成日時",
            "history": "履歴", "detail": "詳細", "prints": "印刷", "print": "印刷", "printer": "プリンター（キュー）", "options": "オプション",
            "ippJob": "IPP ジョブ", "ippState": "状態", "cupsMessage": "CUPS のメッセージ", "volume": "分冊", "noPrints": "まだ印刷していません。",
            "printNow": "印刷する", "printOptions": "オプション（name=value を空白区切り）", "again": "印刷済みでももう一度印刷する",
            "pagesPerJob": "IPP ジョブあたりのページ数", "cancelPrint": "印刷を取り消す", "publish": "委託業者へ公開", "purge": "スプールから削除",
            "queueNow": "キューの現在の状態", "queueStopped": "キューが停止しています", "queueRejecting": "キューがジョブを受け付けていません",
            "executing": "このサーバーで実行中", "noBatches": "バッチはありません。", "printError": "印刷の実行が止まりました",
            "rendered-state": "作成済み", "published": "公開済み", "collected": "受領済み", "printing": "印刷中", "printed": "印刷済み",
            "purged": "削除済み", "replaced": "差し替え済み", "completed": "完了", "canceled": "取消", "failed": "失敗", "pending": "CUPS で待機中",
            // Alerts and audit
            "alerts": "アラート", "audit": "監査ログ", "at": "日時", "kind": "種類", "action": "操作", "result": "結果", "address": "接続元",
            "filter": "絞り込み", "any": "すべて", "noAlerts": "条件に合うアラートはありません。", "noAudit": "条件に合う記録はありません。",
            "limitNote": "新しい順に最大 200 件を表示します。", "clear": "条件をクリア",
        ]
        case .en: return [
            "otherLanguage": "日本語", "console": "Operations console",
            "navTonight": "Tonight", "navCalendars": "Calendars", "navSpool": "Spool", "navAlerts": "Alerts", "navAudit": "Audit",
            "run": "Run", "net": "Job net", "businessDate": "Business date", "trigger": "Trigger", "created": "Created", "started": "Started",
            "ended": "Ended", "duration": "Duration", "jobs": "Jobs", "job": "Job", "attempt": "Attempt", "attempts": "Attempts",
            "exitCode": "Exit code", "message": "Message", "start": "Start", "none": "—", "counts": "Jobs by state",
            "waiting": "Waiting", "running": "Running", "retry-wait": "Retry wait", "normal": "Ended normally", "warning": "Ended with warning",
            "abnormal": "Ended abnormally", "skipped": "Skipped (marked normal)", "not-run": "Not run", "held": "Held",
            "ended-attempt": "Ended", "lost": "Lost", "never-started": "Never started", "netHeld": "This whole job net is held",
            "logs": "Logs", "stdout": "Standard output", "stderr": "Standard error", "downloadLog": "Download the whole log",
            "logTail": "End of the log", "logEmpty": "No output.", "logTruncated": "Only the end of the log is shown.",
            "following": "The log of this running job is followed as it grows.", "reloadLog": "Reload",
            "noAttempts": "This job has not run yet.", "verdict": "Verdict", "signal": "Signal",
            "actions": "Actions", "reason": "Reason", "reasonHint": "Reason (kept in the audit trail)",
            "hold": "Hold", "release": "Release", "skip": "Mark ended normally", "kill": "Kill", "killRun": "Kill this run",
            "rerun": "Rerun", "rerunFrom": "Rerun from this job", "rerunOnly": "Rerun only this job", "rerunFailed": "Rerun the failed jobs",
            "rerunScope": "What to rerun", "scopeFrom": "From the job on", "scopeOnly": "Only the job", "scopeFailed": "The failed jobs",
            "jobName": "Job name", "viewerNote": "Your role may read but not act: no action buttons are shown.",
            "done": "Done", "refused": "Not possible", "back": "Back", "forbidden": "Not allowed",
            "jobOf": "job of", "allJobs": "All jobs", "filterState": "Show state", "show": "Show",
            "calendars": "Calendars", "calendar": "Calendar", "standard": "standard (city office days)", "month": "Month", "prev": "Previous month",
            "next": "Next month", "operatingDays": "Operating days", "closedDays": "Closed days and why", "openDays": "Days opened by the list",
            "closed": "Closed", "holiday": "Holiday",
            "plan": "Plan", "planNote": "The scheduled starts for the business dates of a period (as `nightjar plan`).",
            "from": "From", "to": "To", "startsAt": "Starts at", "slot": "Slot", "noStarts": "No scheduled start in this period.",
            "startsPerDay": "Starts per day", "date": "Date", "weekday": "Weekday", "invalid": "has problems",
            "extends": "Extends", "calendarsNote": "The calendars of Jobs/calendars/, and the standard calendar of nets without calendar:.",
            "spool": "Spool", "batches": "Batches", "batch": "Batch", "form": "Form", "state": "State", "notices": "Notices", "pages": "Pages",
            "records": "Records", "rejected": "Rejected", "volumes": "Volumes", "vendor": "Vendor", "user": "User", "rendered": "Rendered",
            "history": "History", "detail": "Detail", "prints": "Prints", "print": "Print", "printer": "Printer (queue)", "options": "Options",
            "ippJob": "IPP job", "ippState": "State", "cupsMessage": "CUPS says", "volume": "Volume", "noPrints": "Not printed yet.",
            "printNow": "Print", "printOptions": "Options (name=value, space separated)", "again": "Print again even if printed before",
            "pagesPerJob": "Pages per IPP job", "cancelPrint": "Cancel the print", "publish": "Publish to a vendor", "purge": "Purge from the spool",
            "queueNow": "The queue now", "queueStopped": "The queue is stopped", "queueRejecting": "The queue is not accepting jobs",
            "executing": "being executed by this server", "noBatches": "No batches.", "printError": "The print stopped",
            "rendered-state": "Rendered", "published": "Published", "collected": "Collected", "printing": "Printing", "printed": "Printed",
            "purged": "Purged", "replaced": "Replaced", "completed": "Completed", "canceled": "Cancelled", "failed": "Failed", "pending": "Waiting in CUPS",
            "alerts": "Alerts", "audit": "Audit trail", "at": "At", "kind": "Kind", "action": "Action", "result": "Result", "address": "From",
            "filter": "Filter", "any": "any", "noAlerts": "No alert matches.", "noAudit": "No entry matches.",
            "limitNote": "Newest first, at most 200.", "clear": "Clear",
        ]
        }
    }

    /// The common and the console's words together.
    var consoleAll: [String: String] { labels.merging(consoleLabels) { _, console in console } }
}
