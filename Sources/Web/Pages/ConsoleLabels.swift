/// The operators' console's fixed words (issue 14), beside the pages' common ones (`Language.labels`).
extension Language {
    var consoleLabels: [String: String] {
        switch self {
        case .ja: return [
            "otherLanguage": "English", "console": "運用コンソール",
            "navTonight": "今夜の運用", "navNets": "ネット", "navCalendars": "カレンダー", "navSpool": "スプール", "navAlerts": "アラート・監査",
            "tonight": "今夜の運用", "businessDate": "業務日", "now": "現在", "net": "ネット", "run": "実行", "state": "状態",
            "plannedStart": "予定開始", "start": "開始", "end": "終了", "predicted": "予測終了", "atWorst": "遅くとも",
            "deadline": "終了期限", "jobs": "ジョブ", "late": "期限超過の見込み", "lateShort": "遅延見込み",
            "noRows": "この業務日に予定された実行も、実行中のものもありません。",
            "liveNote": "状態が変わると自動で更新されます（JavaScript が無効なときは再読み込みしてください）。",
            "legend": "凡例", "legendPredicted": "予測（中央値、線は遅くとも）", "legendDeadline": "終了期限", "legendPlanned": "予定開始", "legendNow": "現在",
            "planned": "予定", "waiting": "待機中", "running": "実行中", "held": "保留中", "normal": "正常終了", "warning": "警告終了",
            "abnormal": "異常終了", "retry-wait": "再実行待ち", "skipped": "スキップ", "not-run": "未実行",
            "graph": "ジョブネットの構成", "schedule": "スケジュール", "calendar": "カレンダー", "standardCalendar": "標準（市役所の開庁日）",
            "nextStarts": "次回の開始予定", "history": "実行履歴", "duration": "所要時間", "after": "先行ネット（after）",
            "dependents": "このネットを待つネット", "noSchedule": "スケジュールなし（手動で起動）", "latestRun": "最新の実行",
            "concurrency": "同時実行数", "endDeadline": "終了期限", "startDeadline": "開始期限", "trigger": "契機",
            "noRuns": "まだ実行されていません。", "description": "説明", "none": "なし", "graphNote": "色は最新の実行での各ジョブの状態です。",
            "timeZone": "時刻は", "date": "業務日",
        ]
        case .en: return [
            "otherLanguage": "日本語", "console": "Operations console",
            "navTonight": "Tonight", "navNets": "Nets", "navCalendars": "Calendars", "navSpool": "Spool", "navAlerts": "Alerts & audit",
            "tonight": "Tonight", "businessDate": "Business date", "now": "Now", "net": "Net", "run": "Run", "state": "State",
            "plannedStart": "Planned start", "start": "Started", "end": "Ended", "predicted": "Predicted end", "atWorst": "at worst",
            "deadline": "End deadline", "jobs": "Jobs", "late": "predicted past its deadline", "lateShort": "late",
            "noRows": "Nothing is planned or running for this business date.",
            "liveNote": "Updates itself when anything changes (reload the page if JavaScript is off).",
            "legend": "Legend", "legendPredicted": "Predicted (median; the line: at worst)", "legendDeadline": "End deadline",
            "legendPlanned": "Planned start", "legendNow": "Now",
            "planned": "planned", "waiting": "waiting", "running": "running", "held": "held", "normal": "normal", "warning": "warning",
            "abnormal": "abnormal", "retry-wait": "retry wait", "skipped": "skipped", "not-run": "not run",
            "graph": "The net", "schedule": "Schedule", "calendar": "Calendar", "standardCalendar": "standard (city office days)",
            "nextStarts": "Next starts", "history": "Run history", "duration": "Took", "after": "Waits for (after)",
            "dependents": "Nets waiting for this one", "noSchedule": "no schedule (started by hand)", "latestRun": "Latest run",
            "concurrency": "Concurrency", "endDeadline": "End deadline", "startDeadline": "Start deadline", "trigger": "Trigger",
            "noRuns": "It has not run yet.", "description": "Description", "none": "none", "graphNote": "Colours: each job's state in the latest run.",
            "timeZone": "Times in", "date": "Business date",
        ]
        }
    }

    /// The common words with the console's on top.
    var consoleAll: [String: String] { labels.merging(consoleLabels) { _, console in console } }
}
