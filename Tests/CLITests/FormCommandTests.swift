import Foundation
import Testing

/// Forms and their data through the real binary: bad input is exit 2 with a position, never a
/// crash, a hang or a silent render.
@Suite struct FormCommandTests {
    static let form = """
        name: g
        key: id
        group_by: owner
        mail: { postal_code: zip }
        fields:
          a: { box: [10, 10, 50, 10], value: "{name}" }
          b: { box: [10, 30, 50, 10], value: "{id}", when: "flag == 1" }

        """

    @Test func validateChecksFormsAndAFormPathIsAForm() throws {
        let cli = try CLI([:])
        try cli.write("Forms/bad.yaml", "name: bad\nkey: id\npaper: A44\n")
        try cli.write("Forms/good.yaml", "name: good\nkey: id\nfields:\n  a: { box: [10, 10, 50, 10], value: \"{id}\" }\n")
        let all = try cli.run(["validate"])
        #expect(all.status == 2)
        #expect(all.out.contains("Forms/bad.yaml:3:8: error: unknown paper 'A44'"), "\(all.out)")
        let one = try cli.run(["validate", "Forms/bad.yaml"])
        #expect(one.status == 2)
        #expect(one.out == "Forms/bad.yaml:3:8: error: unknown paper 'A44'; use one of A3, A4, A5, B5, chou3, hagaki, kaku2, postcard or { width: W, height: H } in mm\n1 problem found; nothing was run\n")
        let good = try cli.run(["validate", "Forms/good.yaml"])
        #expect(good.status == 0)
        #expect(good.out == "1 form valid: good\n")
        try FileManager.default.removeItem(at: cli.root.appendingPathComponent("Forms/bad.yaml"))
        #expect(try cli.run(["validate"]).out == "0 job nets and 1 form valid: forms: good\n")
    }

    @Test func columnsTheDataLacksAreErrorsNamingTheDataAndTheFormLine() throws {
        let cli = try CLI([:])
        try cli.write("Forms/g.yaml", Self.form)
        try cli.write("d.csv", "id,name\n1,a\n2,b\n")
        let r = try cli.run(["render", "--form", "g", "--data", "d.csv", "--out", "out"])
        #expect(r.status == 2)
        #expect(r.err.contains("d.csv:1:1: error: the header has no column 'owner', which group_by uses (Forms/g.yaml:3:11)"), "\(r.err)")
        #expect(r.err.contains("d.csv:1:1: error: the header has no column 'zip', which mail's postal_code uses (Forms/g.yaml:4:22)"))
        #expect(r.err.contains("d.csv:1:1: error: the header has no column 'flag', which field 'b' uses (Forms/g.yaml:7:3)"))
        #expect(!FileManager.default.fileExists(atPath: cli.root.appendingPathComponent("out").path))
        try cli.write("d.csv", "id,name,owner,zip,flag\n1,a,o,5860000,1\n")
        let sorted = try cli.run(["render", "--form", "g", "--data", "d.csv", "--out", "out", "--sort", "nope"])
        #expect(sorted.status == 2)
        #expect(sorted.err.contains("d.csv:1:1: error: --sort nope: the input has no such column"), "\(sorted.err)")
    }

    @Test func dataErrorsAreNotBlamedOnTheFormAtLineZero() throws {
        let cli = try CLI([:])
        try cli.write("Forms/g.yaml", Self.form)
        try cli.write("d.csv", "id,name,owner,zip,flag\n1,a,o,5860000,1\n")
        let r = try cli.run(["render", "--form", "g", "--data", "d.csv", "--out", "out", "--format", "fixed"])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("Forms/g.yaml:1:1: error: the data is read as fixed-length records, but the form has no byte layout"), "\(r.err)")
        #expect(!r.err.contains(":0:"))
    }

    @Test func aNamedPipeAsDataOrFontIsRefusedNotOpened() throws {
        let cli = try CLI([:])
        try cli.write("Forms/g.yaml", Self.form)
        #expect(mkfifo(cli.root.appendingPathComponent("pipe.csv").path, 0o600) == 0)
        let r = try cli.run(["render", "--form", "g", "--data", "pipe.csv", "--out", "out"])
        #expect(r.status == 2)
        #expect(r.err.contains("pipe.csv: the data file is a named pipe (FIFO), not a regular file"), "\(r.err)")
        try cli.write("Forms/f.yaml", "name: f\nkey: id\nfonts: { m: pipe.csv }\n")
        let v = try cli.run(["validate", "Forms/f.yaml"])
        #expect(v.status == 2)
        #expect(v.out.contains("Forms/f.yaml:3:1: error: font 'm': pipe.csv is a named pipe (FIFO), not a regular file"), "\(v.out)")
    }

    @Test func aLineBreakInsideAFieldIsNamedAsSuch() throws {
        let cli = try CLI([:])
        try cli.write("Forms/lb.yaml", """
            name: lb
            key: id
            columns:
              id: { required: true }
              memo: {}
            fields:
              memo: { box: [10, 10, 80, 10], value: "{memo}" }

            """)
        try cli.write("d.csv", "id,memo\n1,\"first\nsecond\"\n2,fine\n")
        let r = try cli.run(["render", "--form", "lb", "--data", "d.csv", "--out", "out"])
        #expect(r.status == 0, "\(r.err)")
        let rejects = cli.read("out/rejects.csv") ?? ""
        #expect(rejects.contains("a line break inside field memo (from column memo)"), "\(rejects)")
        #expect(!rejects.contains("not in the font"))
        let check = try cli.run(["fonts", "check", "--form", "lb", "--data", "d.csv"])
        #expect(check.status == 1)
        #expect(check.out.contains("U+000A \\n  a line break inside the field, which a text field cannot print; column memo; 1 record: line 2 (1)"), "\(check.out)")
    }

    @Test func aNegativeSampleCountIsUsageNotATrap() throws {
        let cli = try CLI([:])
        try cli.write("Forms/g.yaml", Self.form)
        let r = try cli.run(["sample-data", "g", "-n=-1"])
        #expect(r.status == 2)
        #expect(r.err.contains("-n -1: give the number of notices, 0 or more"), "\(r.err)")
    }
}
