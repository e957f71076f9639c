/// The full Ward hierarchy of n trajectories: n − 1 merges in the order of increasing TSV
/// increase (the order HYSPLIT's pairwise search would merge them in; a merge always comes
/// after the merges that made its two clusters). Cut it at any k with ``assignments(clusters:)``.
public struct WardDendrogram: Sendable, Equatable {
    /// Trajectories (leaves).
    public let leafCount: Int
    /// The n − 1 merges (none for one trajectory).
    public let merges: [ClusterMerge]

    /// Creates a dendrogram from its merges (normally made by ``TrajectoryClustering``).
    public init(leafCount: Int, merges: [ClusterMerge]) {
        self.leafCount = leafCount
        self.merges = merges
    }

    /// The partition into `k` clusters (the hierarchy before its last k − 1 merges), as a
    /// cluster number 1 … k per leaf. Clusters are numbered by size, largest first; equal
    /// sizes by their first leaf. nil when k is not in 1 … ``leafCount``.
    public func assignments(clusters k: Int) -> [Int]? {
        let n = leafCount
        guard k >= 1, k <= n else { return nil }
        var parent = Array(0..<(2 * n))
        func find(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            var y = x
            while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
            return r
        }
        for (s, m) in merges.prefix(n - k).enumerated() {
            parent[find(m.first)] = n + s
            parent[find(m.second)] = n + s
        }
        return ClusterNumbering.numbered((0..<n).map { find($0) })
    }
}

/// Numbers clusters 1 … k by size (largest first), ties by their first member.
enum ClusterNumbering {
    /// Cluster numbers for arbitrary labels, one per member in member order.
    static func numbered(_ labels: [Int]) -> [Int] {
        var size: [Int: Int] = [:]
        var firstMember: [Int: Int] = [:]
        for (i, l) in labels.enumerated() {
            size[l, default: 0] += 1
            if firstMember[l] == nil { firstMember[l] = i }
        }
        let order = size.keys.sorted { a, b in
            size[a, default: 0] != size[b, default: 0] ? size[a, default: 0] > size[b, default: 0] : firstMember[a, default: 0] < firstMember[b, default: 0]
        }
        var number: [Int: Int] = [:]
        for (k, l) in order.enumerated() { number[l] = k + 1 }
        return labels.map { number[$0, default: 0] }
    }
}
