/// A symmetric n × n matrix with a zero diagonal, stored as its strict upper triangle row by
/// row ("condensed", as SciPy's): entry (i, j), i < j, at `rowStarts[i] + j − i − 1`, in
/// n(n − 1)/2 `Double`s (8 bytes each: 400 MB for 10,000 trajectories). Float64 rather than
/// Float32 because the Lance–Williams update for Ward subtracts (−n_k·d_ij) and a nearest-
/// neighbour chain must see the same minima a brute-force search would; Float32's 7 digits
/// would reorder near-equal merges of TSVs of 10⁶–10⁹ km².
struct CondensedMatrix: Sendable {
    /// n.
    let count: Int
    /// The entries.
    var values: [Double]
    /// Where each row starts in ``values``.
    let rowStarts: [Int]

    /// A zero matrix of `count` rows.
    init(count: Int) {
        self.count = count
        var starts = [Int](repeating: 0, count: max(count, 1))
        var s = 0
        for i in 0..<count {
            starts[i] = s
            s += count - i - 1
        }
        rowStarts = starts
        values = [Double](repeating: 0, count: s)
    }

    /// Number of entries for `n` rows, n(n − 1)/2.
    static func entries(_ n: Int) -> Int { n < 2 ? 0 : n * (n - 1) / 2 }

    /// The position of entry (i, j), i ≠ j.
    @inline(__always)
    func index(_ i: Int, _ j: Int) -> Int {
        i < j ? rowStarts[i] + j - i - 1 : rowStarts[j] + i - j - 1
    }

    /// Entry (i, j); 0 on the diagonal.
    @inline(__always)
    subscript(i: Int, j: Int) -> Double {
        i == j ? 0 : values[index(i, j)]
    }

    /// Rows of at most about this many entries are computed per task (8 MiB).
    static let defaultBlockEntries = 1 << 20

    /// The position where row `i` of an n-row matrix starts, i·(2n − i − 1)/2.
    @inline(__always)
    static func rowStart(_ i: Int, count n: Int) -> Int { i * (2 * n - i - 1) / 2 }

    /// Fills a matrix of `count` rows in parallel, one row at a time: `row(i, out)` writes
    /// entries (i, i+1 … n−1) into `out` (n − i − 1 values). See
    /// ``build(count:maxConcurrency:blockEntries:rows:)``.
    static func build(count n: Int, maxConcurrency: Int, blockEntries: Int = defaultBlockEntries,
                      row: @escaping @Sendable (_ i: Int, _ out: UnsafeMutableBufferPointer<Double>) -> Void) async -> CondensedMatrix {
        await build(count: n, maxConcurrency: maxConcurrency, blockEntries: blockEntries) { rows, out in
            let first = rowStart(rows.lowerBound, count: n)
            for i in rows {
                let start = rowStart(i, count: n) - first
                row(i, UnsafeMutableBufferPointer(rebasing: out[start..<(start + n - i - 1)]))
            }
        }
    }

    /// Fills a matrix of `count` rows in parallel, by blocks of consecutive rows:
    /// `rows(range, out)` writes the entries of those rows into `out`, row i's entries
    /// (i, i+1 … n−1) from position `rowStart(i) − rowStart(range.lowerBound)`. Blocks of about
    /// `blockEntries` entries are computed by at most `maxConcurrency` tasks into their own
    /// arrays and copied in, so memory beyond the matrix is at most `maxConcurrency` blocks;
    /// every entry is computed by the same code whatever the concurrency or block size
    /// (bitwise the same result), as long as `rows` computes each entry independently.
    static func build(count n: Int, maxConcurrency: Int, blockEntries: Int = defaultBlockEntries,
                      rows fill: @escaping @Sendable (_ rows: Range<Int>, _ out: UnsafeMutableBufferPointer<Double>) -> Void) async -> CondensedMatrix {
        var matrix = CondensedMatrix(count: n)
        guard n > 1 else { return matrix }
        // Row ranges of about blockEntries entries each.
        var blocks: [Range<Int>] = []
        var start = 0, size = 0
        for i in 0..<n {
            size += n - i - 1
            if size >= max(blockEntries, 1) || i == n - 1 {
                blocks.append(start..<(i + 1))
                start = i + 1
                size = 0
            }
        }
        @Sendable func compute(_ rows: Range<Int>) -> (Int, [Double]) {
            let offset = rowStart(rows.lowerBound, count: n)
            let end = rowStart(rows.upperBound, count: n)
            var out = [Double](repeating: 0, count: end - offset)
            out.withUnsafeMutableBufferPointer { fill(rows, $0) }
            return (offset, out)
        }
        if maxConcurrency <= 1 || blocks.count < 2 {
            for b in blocks {
                let (offset, out) = compute(b)
                matrix.values.replaceSubrange(offset..<(offset + out.count), with: out)
            }
            return matrix
        }
        await withTaskGroup(of: (Int, [Double]).self) { group in
            var next = 0
            while next < min(maxConcurrency, blocks.count) {
                let b = blocks[next]
                group.addTask { compute(b) }
                next += 1
            }
            while let (offset, out) = await group.next() {
                matrix.values.replaceSubrange(offset..<(offset + out.count), with: out)
                if next < blocks.count {
                    let b = blocks[next]
                    group.addTask { compute(b) }
                    next += 1
                }
            }
        }
        return matrix
    }
}
