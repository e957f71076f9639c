import UpwindCore

/// Regions indexed for locating millions of points (trajectory endpoints, fires) quickly and
/// deterministically (see the *Regions* article in Upwind's documentation; issue 11 item 1).
///
/// **The rule.** A point is in a region when a ray from it towards the east crosses the region's
/// rings an odd number of times (even–odd over every ring of every polygon, so holes are
/// outside), each edge tested half-open: an edge counts when its lower end is at or below the
/// point's latitude and its upper end strictly above, and the point is strictly west of it
/// (``Region/contains(latitude:longitude:)``). A point exactly on an edge or a vertex is therefore
/// treated as if moved an infinitesimal step east and then north: on a boundary shared by two
/// regions it belongs to exactly one of them — the region to its east on a north–south edge,
/// the region to its north on an east–west edge — and every edge is tested with its lower end
/// first, so the answer does not depend on which region's ring the edge comes from or on ring
/// orientation. Where regions overlap (simplified boundaries often do), the region listed first
/// wins. A longitude outside the regions' range is also tried 360° east and west, so points in
/// −180…180 find regions drawn in 0…360.
///
/// **The index.** A uniform grid of about 16 cells per edge (at most 4,194,304 cells) over the
/// regions' common box. A cell that no edge comes within 10⁻⁹° of lies wholly inside one region
/// (or none), decided once for its centre: points there are answered with one lookup. A cell that
/// edges touch lists the regions whose edges touch it (tested exactly, with the region's edges
/// sorted into horizontal bands one cell row high) and the regions that contain it whole. The
/// answer is the same as testing every region's every edge (``locateByScanning(latitude:longitude:)``);
/// the 10⁻⁹° margin is far above the rounding of the crossing test, so a point in a whole cell
/// is never within rounding distance of an edge.
public struct RegionIndex: Sendable {
    /// The regions, in the order given; ``locate(latitude:longitude:)`` returns positions in it.
    public let regions: [Region]
    /// The common box of all regions, degrees.
    public let boundingBox: Region.BoundingBox

    // Grid over the common box expanded by `margin`.
    let west: Double, south: Double, east: Double, north: Double
    let cellWidth: Double, cellHeight: Double
    let nx: Int, ny: Int
    /// Per cell: −1 no region, r ≥ 0 wholly in region r, ≤ −2 mixed list −2 − state.
    let cellState: [Int32]
    /// Mixed lists: `mixedEntries[mixedOffsets[k] ..< mixedOffsets[k + 1]]`, region indices in
    /// ascending order, with ``wholeFlag`` set for a region containing the whole cell.
    let mixedOffsets: [Int32]
    let mixedEntries: [UInt32]
    /// Per region: first band row, number of band rows, and the position of its first band in
    /// `bandOffsets`; band b of region r is `bandEdges[bandOffsets[bandStart[r] + b] ..< bandOffsets[bandStart[r] + b + 1]]`.
    let bandRowLow: [Int32], bandRowCount: [Int32], bandStart: [Int32]
    let bandOffsets: [Int32]
    let bandEdges: [RegionEdge]
    let ids: [String: Int]

    static let margin = 1e-9
    static let wholeFlag: UInt32 = 1 << 31
    static let maxCells = 4_194_304

    /// Indexes regions.
    /// - Parameter regions: the regions; each is validated (``Region/validate(feature:)``, with
    ///   its position as the feature number) and ids must be unique.
    /// - Throws: ``RegionError/noRegions``, ``RegionError/duplicateID(id:first:second:)`` and
    ///   the errors of ``Region/validate(feature:)``.
    public init(regions: [Region]) throws(RegionError) {
        guard !regions.isEmpty else { throw .noRegions }
        var ids: [String: Int] = [:]
        for (k, region) in regions.enumerated() {
            try region.validate(feature: k)
            if let first = ids[region.id] { throw .duplicateID(id: region.id, first: first, second: k) }
            ids[region.id] = k
        }
        self.regions = regions
        self.ids = ids

        // Edges per region, lower end first.
        var edges: [[RegionEdge]] = []
        edges.reserveCapacity(regions.count)
        var edgeCount = 0
        var box = regions[0].boundingBox
        for region in regions {
            var list: [RegionEdge] = []
            for polygon in region.polygons {
                for ring in polygon.rings {
                    for k in 1..<ring.count { list.append(RegionEdge(ring[k - 1], ring[k])) }
                }
            }
            edgeCount += list.count
            edges.append(list)
            let b = region.boundingBox
            box = Region.BoundingBox(south: min(box.south, b.south), north: max(box.north, b.north),
                                     west: min(box.west, b.west), east: max(box.east, b.east))
        }
        boundingBox = box

        // Grid: square cells in degrees, about 16 per edge.
        let m = RegionIndex.margin
        let west = box.west - m, east = box.east + m, south = box.south - m, north = box.north + m
        let width = east - west, height = north - south
        let target = Double(min(max(16 * edgeCount, 256), RegionIndex.maxCells))
        var side = (width * height / target).squareRoot()
        if !(side > 0) { side = max(width, height) / target.squareRoot() }
        let nx = min(max(Int((width / side).rounded(.up)), 1), 8192)
        let ny = min(max(Int((height / side).rounded(.up)), 1), 8192)
        let cellWidth = width / Double(nx), cellHeight = height / Double(ny)
        (self.west, self.east, self.south, self.north) = (west, east, south, north)
        (self.nx, self.ny, self.cellWidth, self.cellHeight) = (nx, ny, cellWidth, cellHeight)

        @inline(__always) func row(_ y: Double) -> Int { min(max(Int(((y - south) / cellHeight).rounded(.down)), 0), ny - 1) }
        @inline(__always) func column(_ x: Double) -> Int { min(max(Int(((x - west) / cellWidth).rounded(.down)), 0), nx - 1) }

        // Bands: each region's non-horizontal edges per cell row they come within the margin of.
        var bandRowLow: [Int32] = [], bandRowCount: [Int32] = [], bandStart: [Int32] = []
        var bandOffsets: [Int32] = [0], bandEdges: [RegionEdge] = []
        for (r, region) in regions.enumerated() {
            let low = row(region.boundingBox.south - m), high = row(region.boundingBox.north + m)
            var rows = [[RegionEdge]](repeating: [], count: high - low + 1)
            for e in edges[r] where e.ay < e.by {
                for i in row(e.ay - m)...row(e.by + m) { rows[i - low].append(e) }
            }
            bandRowLow.append(Int32(low))
            bandRowCount.append(Int32(rows.count))
            bandStart.append(Int32(bandOffsets.count - 1))
            for list in rows {
                bandEdges.append(contentsOf: list)
                bandOffsets.append(Int32(bandEdges.count))
            }
        }

        // Cells each region's edges (horizontal ones included) come within the margin of.
        var pairs: [UInt64] = []
        pairs.reserveCapacity(edgeCount * 3)
        for (r, list) in edges.enumerated() {
            for e in list {
                let xmin = min(e.ax, e.bx), xmax = max(e.ax, e.bx)
                for i in row(e.ay - m)...row(e.by + m) {
                    var lo = xmin, hi = xmax
                    if e.ay < e.by {
                        let bottom = south + Double(i) * cellHeight - m, top = south + Double(i + 1) * cellHeight + m
                        let y1 = max(e.ay, bottom), y2 = min(e.by, top)
                        guard y1 <= y2 else { continue }
                        let slope = (e.bx - e.ax) / (e.by - e.ay)
                        let x1 = e.ax + (y1 - e.ay) * slope, x2 = e.ax + (y2 - e.ay) * slope
                        let slack = 1e-12 * (1 + abs(x1) + abs(x2))
                        lo = max(min(x1, x2) - slack, xmin)
                        hi = min(max(x1, x2) + slack, xmax)
                    }
                    for j in column(lo - m)...column(hi + m) {
                        pairs.append(UInt64(i * nx + j) << 32 | UInt64(r))
                    }
                }
            }
        }
        pairs.sort()

        // Mixed cells and their edge regions.
        var state = [Int32](repeating: -1, count: nx * ny)
        var edgeLists: [[UInt32]] = []
        var k = 0
        while k < pairs.count {
            let cell = Int(pairs[k] >> 32)
            var list: [UInt32] = []
            while k < pairs.count, Int(pairs[k] >> 32) == cell {
                let r = UInt32(truncatingIfNeeded: pairs[k])
                if list.last != r { list.append(r) }
                k += 1
            }
            state[cell] = Int32(-2 - edgeLists.count)
            edgeLists.append(list)
        }

        // Scan each cell row along its centre line: cells whose centre is inside a region belong
        // to it whole (the lowest region first) unless the region's edges touch them.
        var xs: [Double] = []
        for i in 0..<ny {
            let yc = south + (Double(i) + 0.5) * cellHeight
            for r in regions.indices {
                let low = Int(bandRowLow[r])
                guard i >= low, i < low + Int(bandRowCount[r]) else { continue }
                let band = Int(bandStart[r]) + i - low
                xs.removeAll(keepingCapacity: true)
                for e in bandEdges[Int(bandOffsets[band])..<Int(bandOffsets[band + 1])] where e.ay <= yc && yc < e.by {
                    xs.append(e.ax + (yc - e.ay) * (e.bx - e.ax) / (e.by - e.ay))
                }
                xs.sort()
                var p = 0
                while p + 1 < xs.count {
                    let first = max(Int((((xs[p] - west) / cellWidth) - 0.5).rounded(.up)), 0)
                    let last = min(Int((((xs[p + 1] - west) / cellWidth) - 0.5).rounded(.down)), nx - 1)
                    if first <= last {
                        for j in first...last {
                            let cell = i * nx + j
                            let s = state[cell]
                            if s == -1 {
                                state[cell] = Int32(r)
                            } else if s <= -2 {
                                let list = Int(-2 - s)
                                if !edgeLists[list].contains(UInt32(r)) && !edgeLists[list].contains(UInt32(r) | RegionIndex.wholeFlag) {
                                    edgeLists[list].append(UInt32(r) | RegionIndex.wholeFlag)
                                }
                            }
                        }
                    }
                    p += 2
                }
            }
        }
        var offsets: [Int32] = [0], entries: [UInt32] = []
        for list in edgeLists {
            entries.append(contentsOf: list.sorted { ($0 & ~RegionIndex.wholeFlag) < ($1 & ~RegionIndex.wholeFlag) })
            offsets.append(Int32(entries.count))
        }
        cellState = state
        mixedOffsets = offsets
        mixedEntries = entries
        self.bandRowLow = bandRowLow
        self.bandRowCount = bandRowCount
        self.bandStart = bandStart
        self.bandOffsets = bandOffsets
        self.bandEdges = bandEdges
    }

    /// The number of regions.
    public var count: Int { regions.count }

    /// The position of the region with this id, or nil.
    /// - Parameter id: a region id.
    /// - Returns: its index in ``regions``.
    public func index(ofID id: String) -> Int? { ids[id] }

    /// Grid cells of the index (columns × rows), for diagnostics.
    public var cellCount: Int { nx * ny }
    /// Cells that region edges touch (located with edge tests), for diagnostics.
    public var mixedCellCount: Int { mixedOffsets.count - 1 }

    /// The region a point lies in, by the rule in the type's documentation.
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    /// - Returns: the region's index in ``regions``, or nil when the point is in none (or not finite).
    @inline(__always)
    public func locate(latitude: Double, longitude: Double) -> Int? {
        guard latitude >= south, latitude <= north, let x = wrapped(longitude) else { return nil }
        let i = min(Int((latitude - south) / cellHeight), ny - 1)
        let j = min(Int((x - west) / cellWidth), nx - 1)
        let s = cellState[i * nx + j]
        if s >= 0 { return Int(s) }
        if s == -1 { return nil }
        let list = Int(-2 - s)
        for k in Int(mixedOffsets[list])..<Int(mixedOffsets[list + 1]) {
            let entry = mixedEntries[k]
            let r = Int(entry & ~RegionIndex.wholeFlag)
            if entry & RegionIndex.wholeFlag != 0 || bandContains(r, row: i, x: x, y: latitude) { return r }
        }
        return nil
    }

    /// The same answer as ``locate(latitude:longitude:)`` by testing every edge of every region
    /// in turn (``Region/contains(latitude:longitude:)``, the first region containing the point):
    /// the slow reference the index reproduces, for tests.
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    /// - Returns: the region's index, or nil.
    public func locateByScanning(latitude: Double, longitude: Double) -> Int? {
        guard latitude.isFinite, let x = wrapped(longitude) else { return nil }
        return regions.firstIndex { $0.contains(latitude: latitude, longitude: x) }
    }

    /// The longitude in the grid's range (as given, or 360° east or west), or nil.
    @inline(__always) func wrapped(_ longitude: Double) -> Double? {
        if longitude >= west && longitude <= east { return longitude }
        if longitude + 360 >= west && longitude + 360 <= east { return longitude + 360 }
        if longitude - 360 >= west && longitude - 360 <= east { return longitude - 360 }
        return nil
    }

    /// The crossing test of region `r` against its edges in cell row `i`.
    @inline(__always) func bandContains(_ r: Int, row i: Int, x: Double, y: Double) -> Bool {
        let low = Int(bandRowLow[r])
        guard i >= low, i < low + Int(bandRowCount[r]) else { return false }
        let band = Int(bandStart[r]) + i - low
        var inside = false
        for k in Int(bandOffsets[band])..<Int(bandOffsets[band + 1]) where bandEdges[k].crosses(x: x, y: y) {
            inside.toggle()
        }
        return inside
    }
}
