import CSV
import Foundation

/// The records of a CSV text (RFC 4180, through CSV.swift) with the physical line each starts on,
/// so that readers can name the line of a bad row even when quoted fields hold line breaks. A
/// leading byte-order mark is dropped. Shared by the observation, FIRMS and starts readers.
struct CSVRecords {
    /// One record: its first physical line (1-based) and its fields as read.
    struct Record {
        var line: Int
        var fields: [String]
        /// True when every field is empty after trimming (a blank line).
        var isBlank: Bool { fields.allSatisfy { CSVRecords.trim($0).isEmpty } }
    }

    private let reader: CSVReader
    private var nextLine = 1

    /// Starts reading `text`.
    /// - Throws: what CSV.swift throws for text it cannot read (the caller names the file).
    init(text: String) throws {
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
        reader = try CSVReader(string: String(body))
    }

    /// The next record, blank ones included, or nil at the end.
    mutating func next() -> Record? {
        guard let fields = reader.next() else { return nil }
        let line = nextLine
        // Physical lines the record occupies: 1 plus the line breaks inside quoted fields.
        nextLine += 1 + fields.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
        return Record(line: line, fields: fields)
    }

    /// The header: the first non-blank record, names trimmed and lower-cased; nil for a text
    /// with no non-blank record.
    mutating func header() -> (line: Int, names: [String])? {
        nextNonBlank().map { ($0.line, $0.fields.map { CSVRecords.trim($0).lowercased() }) }
    }

    /// The next non-blank record, or nil at the end.
    mutating func nextNonBlank() -> Record? {
        while let record = next() {
            if !record.isBlank { return record }
        }
        return nil
    }

    /// `text` without surrounding white space and line breaks.
    static func trim(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Why a text file could not be read.
    enum FileProblem: Error {
        /// Nothing is at the path.
        case notFound
        /// It is a folder, unreadable or not UTF-8 (the reason, for messages).
        case unreadable(String)
    }

    /// The UTF-8 text of the file at `path`.
    /// - Throws: ``FileProblem``; the caller turns it into its own typed error naming the file.
    static func text(ofFile path: String) throws(FileProblem) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .notFound }
        guard !isFolder.boolValue else { throw .unreadable("it is a folder") }
        if let kind = InputDevice.kind(path) { throw .unreadable("it is \(kind), not a file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable("it is not valid UTF-8") }
        return text
    }
}

/// Input files that are devices (issue 13: reading `/dev/zero` as a CSV or tdump would never
/// end). FIFOs are allowed: a shell's `<(…)` is one.
enum InputDevice {
    /// "a character device", "a block device" or "a socket" when `path` names one (links followed), else nil.
    static func kind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return nil
        }
    }
}
