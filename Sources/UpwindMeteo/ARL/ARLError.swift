/// Why a HYSPLIT ARL packed met file could not be read. Every case names the file and the
/// 1-based record number (records are `50 + nx·ny` bytes long), and its ``description`` is
/// one line that ends with what to do about it. Dataset-level problems (grids that differ
/// between files, duplicate times, unsupported vertical coordinates) are ``MetError``s.
public enum ARLError: Error, CustomStringConvertible, Sendable {
    /// The file cannot be opened or read.
    case unreadable(path: String, detail: String)
    /// A 50-byte record header does not parse, or holds something its time period's
    /// index does not list.
    case brokenHeader(path: String, record: Int, detail: String)
    /// An INDX (index) record's text does not parse.
    case brokenIndex(path: String, record: Int, detail: String)
    /// The file ends inside a record or inside a time period.
    case truncated(path: String, record: Int, detail: String)
    /// A record's packed bytes do not add up to the checksum its index lists.
    case badChecksum(path: String, record: Int, variable: String, level: Int, time: String, expected: Int, computed: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail):
            return "\(path): cannot read the ARL file (\(detail)): check the path and permissions"
        case .brokenHeader(let path, let record, let detail):
            return "\(path): record \(record): broken ARL record header: \(detail): the file is damaged or not an ARL packed file; download or convert it again"
        case .brokenIndex(let path, let record, let detail):
            return "\(path): record \(record): broken ARL index (INDX) record: \(detail): the file is damaged; download or convert it again"
        case .truncated(let path, let record, let detail):
            return "\(path): record \(record): truncated ARL file: \(detail): the download or conversion stopped early; fetch the whole file again"
        case .badChecksum(let path, let record, let variable, let level, let time, let expected, let computed):
            return "\(path): record \(record): checksum of \(variable) at level \(level), \(time) is \(computed) but the index lists \(expected): the data are damaged; download or convert the file again"
        }
    }
}
