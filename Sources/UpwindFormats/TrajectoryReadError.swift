import CSV
import Foundation
import UpwindCore

/// Why a trajectory file (engine CSV, openair CSV or CF trajectory NetCDF) could not be read.
///
/// Every case's ``description`` is one line naming the file (and, for row errors, the 1-based
/// line, the column and the value) and saying what to do.
public enum TrajectoryReadError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The file is empty (no header line).
    case empty(path: String)
    /// The header lacks a required column.
    case missingColumn(path: String, column: String, header: [String])
    /// A field holds a value of the wrong kind.
    case badValue(path: String, line: Int, column: String, value: String, expected: String)
    /// The file is not a trajectory file of the expected kind.
    case notTrajectoryFile(path: String, reason: String)

    /// A one-line explanation naming the file, line, column and value, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "trajectory file '\(path)' does not exist; check the path"
        case let .unreadable(path, reason):
            return "cannot read trajectory file '\(path)': \(reason); check it is the right file"
        case let .empty(path):
            return "trajectory file '\(path)' is empty; it needs a header line"
        case let .missingColumn(path, column, header):
            let found = header.isEmpty ? "nothing" : header.map { "'\($0)'" }.joined(separator: ", ")
            return "trajectory file '\(path)' header: no '\(column)' column (found \(found)); is it the format you said it is?"
        case let .badValue(path, line, column, value, expected):
            let shown = value.isEmpty ? "an empty value" : "'\(value)'"
            return "trajectory file '\(path)' line \(line), column \(column): \(shown) is not \(expected); fix or delete that line"
        case let .notTrajectoryFile(path, reason):
            return "'\(path)' is not a trajectory file: \(reason); give a file written by upwind or another CF trajectory writer"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

/// A CSV file read into a header (lower-cased, trimmed) and records with their line numbers.
struct CSVTable {
    var header: [String]
    var rows: [(line: Int, fields: [String])]
    private var index: [String: Int] = [:]

    /// Reads `path`; a UTF-8 BOM, CRLF and blank lines are tolerated.
    /// - Throws: ``TrajectoryReadError``.
    init(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw TrajectoryReadError.fileNotFound(path: path) }
        if isFolder.boolValue { throw TrajectoryReadError.unreadable(path: path, reason: "it is a folder") }
        if let kind = InputDevice.kind(path) { throw TrajectoryReadError.unreadable(path: path, reason: "it is \(kind), not a file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TrajectoryReadError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw TrajectoryReadError.unreadable(path: path, reason: "it is not valid UTF-8")
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text = String(text.unicodeScalars.dropFirst()) }
        let reader: CSVReader
        do { reader = try CSVReader(string: text) } catch {
            throw TrajectoryReadError.unreadable(path: path, reason: "\(error)")
        }
        var nextLine = 1
        var header: [String]?
        var rows: [(Int, [String])] = []
        while let record = reader.next() {
            let line = nextLine
            nextLine += 1 + record.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if header == nil {
                header = record.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            } else {
                rows.append((line, record.map { $0.trimmingCharacters(in: .whitespaces) }))
            }
        }
        guard let header else { throw TrajectoryReadError.empty(path: path) }
        self.header = header
        self.rows = rows
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
    }

    /// The column position of `name`, or nil.
    func column(_ name: String) -> Int? { index[name] }

    /// The column position of `name`, which must exist.
    func requiredColumn(_ name: String, path: String) throws -> Int {
        guard let i = index[name] else { throw TrajectoryReadError.missingColumn(path: path, column: name, header: header) }
        return i
    }
}

/// Field parsing for CSV readers.
struct CSVField {
    let path: String
    let line: Int
    let fields: [String]

    func text(_ column: Int?) -> String {
        guard let column, column < fields.count else { return "" }
        return fields[column]
    }

    /// A finite number, or an error naming `name`.
    func number(_ column: Int, _ name: String) throws -> Double {
        let t = text(column)
        guard let v = Double(t), v.isFinite else {
            throw TrajectoryReadError.badValue(path: path, line: line, column: name, value: t, expected: "a number")
        }
        return v
    }

    /// A number, NaN for an empty, `NA` or `NaN` field.
    func numberOrNaN(_ column: Int?, _ name: String) throws -> Double {
        let t = text(column)
        if t.isEmpty || t == "NA" || t.lowercased() == "nan" { return .nan }
        guard let v = Double(t) else {
            throw TrajectoryReadError.badValue(path: path, line: line, column: name, value: t, expected: "a number or empty")
        }
        return v
    }

    /// A number, nil for an empty, `NA` or `NaN` field.
    func optionalNumber(_ column: Int?, _ name: String) throws -> Double? {
        let v = try numberOrNaN(column, name)
        return v.isNaN ? nil : v
    }

    func integer(_ column: Int, _ name: String) throws -> Int {
        let t = text(column)
        guard let v = Int(t) else {
            throw TrajectoryReadError.badValue(path: path, line: line, column: name, value: t, expected: "a whole number")
        }
        return v
    }

    func time(_ column: Int, _ name: String) throws -> UTCTime {
        let t = text(column)
        guard let v = UTCTime(iso8601: t) else {
            throw TrajectoryReadError.badValue(path: path, line: line, column: name, value: t,
                                               expected: "a UTC date-time such as 2024-01-15T06:00:00Z or 2024-01-15 06:00:00")
        }
        return v
    }
}
