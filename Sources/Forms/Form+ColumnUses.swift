extension Form {
    /// A column the form takes from every record, what takes it, and where the form says so.
    public struct ColumnUse: Sendable {
        public var column: String
        /// "group_by", "key", "field 'name'", …
        public var what: String
        public var position: Position
    }

    /// Every column a render needs in the input's header: required columns, key, group_by, the mail's
    /// postal code, and the columns of every field's value, barcode parts and `when`, except those
    /// `columns:` lists as optional (the form says they may be absent). A header lacking any of them
    /// would otherwise print empty fields or, for group_by, one notice per record.
    public var columnUses: [ColumnUse] {
        func at(_ key: String) -> Position { positions[key] ?? Position(line: 1, column: 1) }
        var uses: [ColumnUse] = []
        for c in columns where c.required { uses.append(ColumnUse(column: c.name, what: "the required column '\(c.name)'", position: at("column \(c.name)"))) }
        if !key.isEmpty { uses.append(ColumnUse(column: key, what: "key", position: at("key"))) }
        if let groupBy { uses.append(ColumnUse(column: groupBy, what: "group_by", position: at("group_by"))) }
        if let mail { uses.append(ColumnUse(column: mail.postalColumn, what: "mail's postal_code", position: at("mail.postal_code"))) }
        let optional = Set(columns.filter { !$0.required }.map(\.name))
        for field in fields + continuationFields + (details?.columns ?? []) {
            let parts = (field.barcode?.parts.keys.sorted() ?? []).flatMap { field.barcode?.parts[$0]?.columns ?? [] }
            for c in field.value.columns + parts + [field.when?.column].compactMap({ $0 }) where !Self.pageVariables.contains(c) && !optional.contains(c) {
                uses.append(ColumnUse(column: c, what: "field '\(field.name)'", position: Position(line: field.line, column: field.column)))
            }
        }
        return uses
    }
}
