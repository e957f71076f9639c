import UpwindCore

extension ReceptorGrid {
    /// Trajectories gridded per chunk by ``build(trajectories:values:settings:criterionValue:maxConcurrency:)``.
    /// Fixed, so the result does not depend on `maxConcurrency`.
    public static let chunkTrajectories = 512

    /// Grids many trajectories in parallel: resolves the criterion (unless given), grids fixed
    /// chunks of ``chunkTrajectories`` trajectories concurrently and merges the chunk grids in
    /// order. The result is bit for bit the same for every `maxConcurrency` (1 = serial); it
    /// equals adding every trajectory to one grid exactly whenever the floating sums are exact
    /// (see ``ReceptorGrid``), and to rounding otherwise.
    /// - Parameters:
    ///   - trajectories: the trajectories.
    ///   - values: the receptor value of each trajectory, same order, the criterion's unit.
    ///   - settings: the conventions.
    ///   - criterionValue: the resolved criterion, or nil to resolve it from these trajectories
    ///     and values (``ReceptorGridSettings/resolveCriterion(trajectories:values:)``).
    ///   - maxConcurrency: chunks gridded at once (default 2).
    /// - Returns: the grid.
    /// - Throws: the errors of ``ReceptorGridSettings/resolveCriterion(trajectories:values:)``,
    ///   ``init(settings:criterionValue:expectedCells:)`` and ``add(trajectory:value:)`` (the
    ///   first chunk's error in order).
    public static func build(trajectories: [Trajectory], values: [Double], settings: ReceptorGridSettings,
                             criterionValue: Double? = nil, maxConcurrency: Int = 2) async throws(ReceptorGridError) -> ReceptorGrid {
        guard trajectories.count == values.count else {
            throw .countMismatch(trajectories: trajectories.count, values: values.count)
        }
        let criterion: Double
        if let criterionValue {
            criterion = criterionValue
        } else {
            criterion = try settings.resolveCriterion(trajectories: trajectories, values: values)
        }
        let empty = try ReceptorGrid(settings: settings, criterionValue: criterion)
        let size = chunkTrajectories
        let chunks = stride(from: 0, to: trajectories.count, by: size).map { $0..<min($0 + size, trajectories.count) }
        @Sendable func grid(_ range: Range<Int>) -> Result<ReceptorGrid, ReceptorGridError> {
            var g = empty
            do throws(ReceptorGridError) {
                for k in range { try g.add(trajectory: trajectories[k], value: values[k]) }
            } catch {
                return .failure(error)
            }
            return .success(g)
        }
        var result = empty
        if maxConcurrency <= 1 || chunks.count < 2 {
            for r in chunks { try result.merge(grid(r).get()) }
            return result
        }
        // Results arrive in any order; they are merged in chunk order.
        let outcome: Result<ReceptorGrid, ReceptorGridError> = await withTaskGroup(of: (Int, Result<ReceptorGrid, ReceptorGridError>).self) { group in
            var next = 0, merged = 0
            var pending: [Int: Result<ReceptorGrid, ReceptorGridError>] = [:]
            var acc = empty
            while next < min(maxConcurrency, chunks.count) {
                let k = next, r = chunks[k]
                group.addTask { (k, grid(r)) }
                next += 1
            }
            while let (k, r) = await group.next() {
                pending[k] = r
                while let ready = pending.removeValue(forKey: merged) {
                    switch ready {
                    case .success(let g):
                        do throws(ReceptorGridError) { try acc.merge(g) } catch {
                            group.cancelAll()
                            return .failure(error)
                        }
                    case .failure(let e):
                        group.cancelAll()
                        return .failure(e)
                    }
                    merged += 1
                }
                if next < chunks.count {
                    let k2 = next, r2 = chunks[k2]
                    group.addTask { (k2, grid(r2)) }
                    next += 1
                }
            }
            return .success(acc)
        }
        return try outcome.get()
    }
}
