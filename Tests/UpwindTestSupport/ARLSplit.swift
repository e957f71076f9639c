import Foundation

/// Splits a HYSPLIT ARL packed file into two files at a time-period boundary, as HYSPLIT users
/// hold consecutive weekly or daily files. Records are `50 + nx·ny` bytes; a period starts with
/// an `INDX` record (its label at bytes 14–17 of the record header), continued over
/// consecutive `INDX` records when the index is long.
/// - Returns: the two paths, inside `folder`.
public func splitARL(_ path: String, nx: Int, ny: Int, periodsInFirst: Int, into folder: TemporaryDirectory) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let length = 50 + nx * ny
    // A long index continues over consecutive INDX records: a period starts at the first.
    var starts: [Int] = []
    var previousWasIndex = false
    for offset in stride(from: 0, to: data.count - 18, by: length) {
        let isIndex = String(decoding: data[(offset + 14)..<(offset + 18)], as: UTF8.self) == "INDX"
        if isIndex && !previousWasIndex { starts.append(offset) }
        previousWasIndex = isIndex
    }
    guard starts.count > periodsInFirst else { throw CommandFailed(command: "split \(path)", status: 1, message: "only \(starts.count) time periods") }
    let cut = starts[periodsInFirst]
    let a = folder.path("part_a.bin"), b = folder.path("part_b.bin")
    try data[0..<cut].write(to: URL(fileURLWithPath: a))
    try data[cut...].write(to: URL(fileURLWithPath: b))
    return [a, b]
}
