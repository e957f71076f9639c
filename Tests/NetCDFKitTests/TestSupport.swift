@testable import NetCDFKit

/// Row-major linear indices of a (strided) hyperslab of an array with `shape`.
func hyperslabIndices(shape: [Int], start: [Int], count: [Int], stride: [Int]? = nil) -> [Int] {
    let stride = stride ?? [Int](repeating: 1, count: shape.count)
    var result: [Int] = []
    func visit(_ dim: Int, _ offset: Int) {
        if dim == shape.count {
            result.append(offset)
            return
        }
        let inner = shape[(dim + 1)...].reduce(1, *)
        for k in 0 ..< count[dim] {
            visit(dim + 1, offset + (start[dim] + k * stride[dim]) * inner)
        }
    }
    visit(0, 0)
    return result
}

extension NetCDFError {
    /// The case name, for compact assertions.
    var caseName: String {
        switch self {
        case .fileNotFound: return "fileNotFound"
        case .isDirectory: return "isDirectory"
        case .emptyFile: return "emptyFile"
        case .notNetCDF: return "notNetCDF"
        case .truncated: return "truncated"
        case .corruptHeader: return "corruptHeader"
        case .libraryCrashed: return "libraryCrashed"
        case .libraryHung: return "libraryHung"
        case .variableNotFound: return "variableNotFound"
        case .dimensionNotFound: return "dimensionNotFound"
        case .attributeNotFound: return "attributeNotFound"
        case .invalidRequest: return "invalidRequest"
        case .library: return "library"
        }
    }
}
