#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CDeflate
import CNetCDF

/// The chunks covering a hyperslab of a netCDF-4 variable as stored in the file (shuffled and
/// deflated), read without decompressing them.
///
/// Reading a compressed variable through libnetcdf inflates every chunk while holding the
/// library lock, so reads never overlap. ``NetCDFVariable/storedChunks(start:count:)`` only
/// copies the stored bytes under the lock; ``decode(into:)`` then inflates them on the calling
/// thread without any lock, so several variables decode at once on several cores, and without
/// HDF5's per-chunk buffers and copies.
///
/// The direct path is guarded (see ``NetCDFVariable/storedChunks(start:count:)``: HDF5 ≥ 1.10.3
/// found in the process, the same file by device and inode, little-endian IEEE floats, chunked
/// layout, shuffle and deflate only, every chunk written and none with a filter skipped, each
/// inflated to its exact size with its Adler-32 checked) and can be turned off: with the environment variable `UPWIND_DIRECT_CHUNKS=0`
/// (also `false`, `no` or `off`; read once per process) `storedChunks` always returns nil, no
/// HDF5 symbol is looked up, and every read goes through plain libnetcdf.
///
/// ```swift
/// let block = [1, 16, 81, 81]
/// if let stored = try u.storedChunks(start: [t, 0, 0, 0], count: block) {
///     try stored.decode(into: buffer)        // any thread, no lock
/// } else {
///     try u.read(into: buffer, start: [t, 0, 0, 0], count: block)
/// }
/// ```
public struct NetCDFStoredChunks: Sendable {
    /// One stored chunk: where it starts in the variable (element indices) and its stored bytes.
    struct Chunk: Sendable {
        var origin: [Int]
        var bytes: [UInt8]
    }

    /// The file the chunks come from.
    public let path: String
    /// The variable they belong to.
    public let variable: String
    /// The hyperslab's first element (slowest-varying first).
    public let start: [Int]
    /// The hyperslab's shape (slowest-varying first); ``decode(into:)`` fills it row-major.
    public let count: [Int]
    /// The shape of one chunk.
    public let chunkShape: [Int]
    let chunks: [Chunk]
    let shuffled: Bool
    let deflated: Bool

    /// The number of values of the hyperslab, `product(count)`.
    public var valueCount: Int { count.reduce(1, *) }

    /// Decompresses and unshuffles the chunks into `buffer`, in the row-major order of
    /// ``count``: the same values `read(into:start:count:)` gives. Takes no lock; safe to call
    /// from any thread, several at once.
    /// - Parameter buffer: At least ``valueCount`` elements (only that many are written).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when `buffer` is too small;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` (`NC_EHDFERR`) when a
    ///   chunk does not inflate to its declared size or fails its checksum (a corrupt file).
    public func decode(into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let total = valueCount
        guard buffer.count >= total, let out = buffer.baseAddress else {
            throw NetCDFError.invalidRequest(path: path, variable: variable,
                                             reason: "the hyperslab \(count) holds \(total) values but the buffer holds \(buffer.count)")
        }
        guard total > 0 else { return }
        // One libdeflate decompressor for this hyperslab's chunks (a few kB, not shared between threads).
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw NetCDFError.invalidRequest(path: path, variable: variable, reason: "cannot allocate a deflate decompressor")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        let chunkValues = chunkShape.reduce(1, *)
        let chunkBytes = chunkValues * MemoryLayout<Float>.size
        // One chunk that is the whole hyperslab decodes straight into the buffer.
        let direct = chunks.count == 1 && chunks.first?.origin == start && chunkShape == count
        let inflatedBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, chunkBytes), alignment: 16)
        defer { inflatedBuffer.deallocate() }
        guard let inflated = inflatedBuffer.baseAddress else {
            throw NetCDFError.invalidRequest(path: path, variable: variable, reason: "cannot allocate \(chunkBytes) bytes")
        }
        let staging = direct ? nil : UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, chunkValues))
        defer { staging?.deallocate() }
        for chunk in chunks {
            let target = staging?.baseAddress ?? out
            // Inflate (or take the bytes as stored) …
            if deflated {
                let result = chunk.bytes.withUnsafeBufferPointer { src in
                    Inflate.zlib(src, into: inflated, count: chunkBytes, decompressor: decompressor)
                }
                if let problem = result { throw corrupt(chunk, problem) }
            } else {
                guard chunk.bytes.count == chunkBytes else {
                    throw corrupt(chunk, "holds \(chunk.bytes.count) bytes instead of \(chunkBytes)")
                }
                chunk.bytes.withUnsafeBytes { src in
                    if let base = src.baseAddress { inflated.copyMemory(from: base, byteCount: chunkBytes) }
                }
            }
            // … then undo the shuffle (byte k of every value stored together).
            if shuffled {
                StoredChunkAPI.unshuffle4(UnsafePointer(inflated.assumingMemoryBound(to: UInt8.self)), into: target, count: chunkValues)
            } else {
                UnsafeMutableRawPointer(target).copyMemory(from: UnsafeRawPointer(inflated), byteCount: chunkBytes)
            }
            if let staging { place(staging, origin: chunk.origin, into: out) }
        }
    }

    /// Copies the part of one decoded chunk that lies in the hyperslab to its place, one run
    /// along the last dimension at a time.
    private func place(_ chunk: UnsafeMutableBufferPointer<Float>, origin: [Int], into out: UnsafeMutablePointer<Float>) {
        let rank = count.count
        guard rank > 0, let src = chunk.baseAddress else { return }
        var outStrides = [Int](repeating: 1, count: rank)
        var chunkStrides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) {
            outStrides[d] = outStrides[d + 1] * count[d + 1]
            chunkStrides[d] = chunkStrides[d + 1] * chunkShape[d + 1]
        }
        // The intersection of the chunk and the hyperslab, in variable indices.
        var low = [Int](repeating: 0, count: rank), high = [Int](repeating: 0, count: rank)
        for d in 0 ..< rank {
            low[d] = max(origin[d], start[d])
            high[d] = min(origin[d] + chunkShape[d], start[d] + count[d])
            guard low[d] < high[d] else { return }
        }
        let run = high[rank - 1] - low[rank - 1]
        var index = low
        while true {
            var o = 0, c = 0
            for d in 0 ..< rank {
                o += (index[d] - start[d]) * outStrides[d]
                c += (index[d] - origin[d]) * chunkStrides[d]
            }
            (out + o).update(from: src + c, count: run)
            // Next run: odometer over all dimensions but the last.
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                if index[d] < high[d] { break }
                index[d] = low[d]
                d -= 1
            }
            if d < 0 { return }
        }
    }

    private func corrupt(_ chunk: Chunk, _ detail: String) -> NetCDFError {
        .library(code: NC_EHDFERR, message: "the stored chunk at \(chunk.origin) \(detail); the file is corrupt",
                 path: path, variable: variable, operation: "uncompress")
    }
}

extension NetCDFVariable {
    /// Reads the stored (still compressed) chunks that cover a hyperslab, for
    /// ``NetCDFStoredChunks/decode(into:)`` to inflate outside the library lock; nil when this
    /// direct path does not apply and the hyperslab must be read with
    /// ``read(into:start:count:)``: a file not opened read-only or not netCDF-4, a variable in a
    /// sub-group or not of type float (little-endian), filters other than shuffle and deflate,
    /// a hyperslab beyond the stored extent or needing more than 65,536 chunks, a chunk never
    /// written (fill values), or HDF5 entry points missing from the process. A hyperslab
    /// that covers chunks only in part qualifies only when those chunks hold a single index
    /// wherever the hyperslab does (e.g. one time step per chunk and per read): chunks that also
    /// hold other time steps are better read through libnetcdf, whose chunk cache inflates them
    /// once for all the reads that share them.
    /// - Parameters:
    ///   - start: Index of the first element per dimension.
    ///   - count: Number of elements per dimension.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a wrong rank, negative or
    ///   out-of-bounds start/count, or a closed file.
    ///
    /// Always nil when the environment sets `UPWIND_DIRECT_CHUNKS=0` (or `false`, `no`, `off`):
    /// the off switch for the direct path, read once per process.
    public func storedChunks(start: [Int], count: [Int]) throws -> NetCDFStoredChunks? {
        try Library.locked { () throws -> NetCDFStoredChunks? in
            try file.requireOpenLocked(variable: name)
            guard file.storedChunkFile.enabled, type == .float, !dimensions.isEmpty, group.id == file.ncid, !file.isWritable, file.format.isNetCDF4,
                  let api = StoredChunkAPI.functions else { return nil }
            let shape = try currentShapeLocked()
            let (s, c) = try resolve(start: start, count: count, stride: nil, shape: shape, forWrite: false)
            guard let dataset = file.storedChunkDatasetLocked(named: name, rank: dimensions.count, api: api) else { return nil }
            // The chunks covering the hyperslab, which must lie inside the stored extent.
            var first: [Int] = [], perDimension: [Int] = []
            var partial = false
            for d in 0 ..< c.count {
                let chunk = dataset.chunkShape[d]
                guard chunk > 0, c[d] > 0, s[d] + c[d] <= dataset.extent[d] else { return nil }
                first.append(s[d] / chunk)
                perDimension.append((s[d] + c[d] - 1) / chunk - s[d] / chunk + 1)
                if s[d] % chunk != 0 || c[d] % chunk != 0 { partial = true }
            }
            if partial {
                for d in 0 ..< c.count where c[d] == 1 && dataset.chunkShape[d] != 1 { return nil }
            }
            guard let chunkCount = Sizes.product(perDimension), chunkCount <= StoredChunkAPI.maxChunksPerRead else { return nil }
            var chunks: [NetCDFStoredChunks.Chunk] = []
            chunks.reserveCapacity(chunkCount)
            var index = [Int](repeating: 0, count: c.count)
            for _ in 0 ..< chunkCount {
                let origin = (0 ..< c.count).map { (first[$0] + index[$0]) * dataset.chunkShape[$0] }
                guard let bytes = dataset.readChunkLocked(offset: origin.map { UInt64($0) }, api: api) else { return nil }
                chunks.append(.init(origin: origin, bytes: bytes))
                var d = c.count - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < perDimension[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
            return NetCDFStoredChunks(path: path, variable: name, start: s, count: c, chunkShape: dataset.chunkShape,
                                      chunks: chunks, shuffled: dataset.shuffled, deflated: dataset.deflated)
        }
    }
}

/// One HDF5 dataset opened for direct chunk reads, and how its chunks are stored.
struct StoredChunkDataset: Sendable {
    let id: Int64
    let chunkShape: [Int]
    /// The dataset's stored extent (a record variable may hold fewer records than its dimension).
    let extent: [Int]
    let shuffled: Bool
    let deflated: Bool

    /// The most bytes one chunk may hold as stored: its values' bytes when not deflated, else
    /// zlib's worst case for them (stored blocks: 5 bytes per 16 kB block, plus the 6-byte
    /// header and checksum and some slack).
    var maxStoredBytes: UInt64 {
        let raw = UInt64(chunkShape.reduce(1, *)) * 4
        return deflated ? raw + raw / 16_000 * 5 + 64 : raw
    }

    /// The stored bytes of the chunk at `offset` (element coordinates), or nil when the chunk
    /// was never written, a filter was skipped for it, or its stored size does not fit the
    /// dataset's layout (checked before anything is allocated; such a chunk is then read, and
    /// refused, by libnetcdf). Call with the library lock held.
    func readChunkLocked(offset: [UInt64], api: StoredChunkAPI.Functions) -> [UInt8]? {
        offset.withUnsafeBufferPointer { o -> [UInt8]? in
            guard let origin = o.baseAddress else { return nil }
            var size: UInt64 = 0
            guard api.getChunkStorageSize(id, origin, &size) >= 0, size > 0, size <= maxStoredBytes else { return nil }
            if !deflated && size != maxStoredBytes { return nil }
            var mask: UInt32 = 0
            var ok = false
            let bytes = [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, initialized in
                initialized = 0
                guard let base = buffer.baseAddress else { return }
                ok = api.readChunk(id, 0 /* H5P_DEFAULT */, origin, &mask, base) >= 0
                initialized = ok ? Int(size) : 0
            }
            return ok && mask == 0 ? bytes : nil
        }
    }
}

/// The HDF5 handles of one netCDF file for direct chunk reads; mutated only under the library lock.
struct StoredChunkFile {
    /// Whether this file's reads may take the direct path: the process's
    /// ``StoredChunkAPI/enabledByEnvironment`` unless a test switched it (``NetCDFFile/directChunkReads``).
    var enabled = StoredChunkAPI.enabledByEnvironment
    /// Not tried yet, unavailable, or the HDF5 file id.
    enum State { case untried, unavailable, open(Int64) }
    var state: State = .untried
    /// Per variable name: the dataset, or nil when the variable does not qualify.
    var datasets: [String: StoredChunkDataset?] = [:]
    /// Device and inode of the file libnetcdf opened: the direct path opens the path again and
    /// must find the same file (not one written over it since).
    var identity: FileIdentity?

    /// A file's device and inode numbers.
    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64

        /// The identity of the file at `path` now, or nil when it cannot be read.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(truncatingIfNeeded: info.st_dev)
            inode = UInt64(truncatingIfNeeded: info.st_ino)
        }
    }

    /// Closes the handle of dataset `name`, if open (it is reopened on next use). Call with the
    /// library lock held.
    mutating func closeDatasetLocked(named name: String) {
        // Nothing opened, nothing to look up (the switch may be off).
        guard let known = datasets.removeValue(forKey: name), let dataset = known, let api = StoredChunkAPI.functions else { return }
        _ = api.datasetClose(dataset.id)
    }

    /// Closes every handle (call with the library lock held, before `nc_close`).
    mutating func closeLocked() {
        // Nothing opened, nothing to look up (the switch may be off).
        if datasets.isEmpty, case .untried = state { state = .unavailable; return }
        if datasets.isEmpty, case .unavailable = state { return }
        guard let api = StoredChunkAPI.functions else { return }
        for case let dataset? in datasets.values { _ = api.datasetClose(dataset.id) }
        datasets = [:]
        if case .open(let id) = state { _ = api.fileClose(id) }
        state = .unavailable
    }
}

extension NetCDFFile {
    /// Whether reads of this file may take the direct chunk path: initially the process's
    /// setting (`UPWIND_DIRECT_CHUNKS`); tests switch single files, which leaves the other
    /// files (and tests running at the same time) alone. Reads and writes take the library lock.
    var directChunkReads: Bool {
        get { (try? Library.locked { storedChunkFile.enabled }) ?? false }
        set { _ = try? Library.locked { storedChunkFile.enabled = newValue } }
    }

    /// The dataset `name` of the root group opened for direct chunk reads, or nil when it does
    /// not qualify (see ``NetCDFVariable/storedChunks(start:count:)``). Call with the lock held.
    func storedChunkDatasetLocked(named name: String, rank: Int, api: StoredChunkAPI.Functions) -> StoredChunkDataset? {
        if let known = storedChunkFile.datasets[name] { return known }
        let fileID: Int64
        switch storedChunkFile.state {
        case .unavailable: return nil
        case .open(let id): fileID = id
        case .untried:
            // A second, read-only HDF5 handle on the file libnetcdf has open (HDF5 shares it), if
            // the path still names that file before and after opening.
            storedChunkFile.state = .unavailable
            guard let identity = storedChunkFile.identity, StoredChunkFile.FileIdentity(path: path) == identity else { return nil }
            let id = api.fileOpen(path, 0 /* H5F_ACC_RDONLY */, 0 /* H5P_DEFAULT */)
            guard id >= 0 else { return nil }
            guard StoredChunkFile.FileIdentity(path: path) == identity else {
                _ = api.fileClose(id)
                return nil
            }
            storedChunkFile.state = .open(id)
            fileID = id
        }
        let dataset = StoredChunkAPI.openDataset(fileID, name: name, rank: rank, api: api)
        storedChunkFile.datasets[name] = .some(dataset)
        return dataset
    }
}

/// HDF5 entry points for direct chunk reads, resolved at run time in the copy libnetcdf
/// already loaded (NetCDFKit does not link HDF5 itself, like ``HDF5Diagnostics``: a second
/// copy of HDF5 in the process would not share libnetcdf's open files). Chunks are inflated
/// with libdeflate (``Inflate``).
/// Needs HDF5 ≥ 1.10.3 (64-bit ids, `H5Dread_chunk`).
enum StoredChunkAPI {
    /// Hyperslabs made of more chunks than this are read through libnetcdf.
    static let maxChunksPerRead = 65_536

    /// The largest chunk the direct path decodes, bytes (1 GiB); larger ones go through libnetcdf.
    static let maxChunkBytes = 1 << 30

    /// The environment variable whose value `0` (or `false`, `no`, `off`) turns the direct path off.
    static let environmentVariable = "UPWIND_DIRECT_CHUNKS"

    /// Whether a value of ``environmentVariable`` allows the direct path: unset, empty or
    /// anything but `0`, `false`, `no`, `off` (any case, surrounding blanks ignored) does.
    static func allows(environmentValue value: String?) -> Bool {
        guard let value else { return true }
        let word = value.filter { !$0.isWhitespace }.lowercased()
        return !["0", "false", "no", "off"].contains(word)
    }

    /// The process's setting, read from the environment once (when the first file is opened).
    static let enabledByEnvironment: Bool = allows(environmentValue: getenv(environmentVariable).map { String(cString: $0) })

    /// The resolved entry points. `@unchecked Sendable`: immutable (`let`s set once, when
    /// ``functions`` is first read), C function addresses and the address of HDF5's
    /// `H5T_IEEE_F32LE_g`, which is read only while holding the library lock.
    struct Functions: @unchecked Sendable {
        let fileOpen: @convention(c) (UnsafePointer<CChar>, UInt32, Int64) -> Int64
        let fileClose: @convention(c) (Int64) -> Int32
        let datasetOpen: @convention(c) (Int64, UnsafePointer<CChar>, Int64) -> Int64
        let datasetClose: @convention(c) (Int64) -> Int32
        let getCreatePlist: @convention(c) (Int64) -> Int64
        let getType: @convention(c) (Int64) -> Int64
        let getSpace: @convention(c) (Int64) -> Int64
        let plistClose: @convention(c) (Int64) -> Int32
        let typeClose: @convention(c) (Int64) -> Int32
        let spaceClose: @convention(c) (Int64) -> Int32
        let getLayout: @convention(c) (Int64) -> Int32
        let getChunk: @convention(c) (Int64, Int32, UnsafeMutablePointer<UInt64>?) -> Int32
        let getNFilters: @convention(c) (Int64) -> Int32
        let getFilter: GetFilter
        let typeEqual: @convention(c) (Int64, Int64) -> Int32
        /// `H5T_IEEE_F32LE_g`, the id of the little-endian IEEE 32-bit float type.
        let ieeeF32LE: UnsafePointer<Int64>
        let extentDims: @convention(c) (Int64, UnsafeMutablePointer<UInt64>?, UnsafeMutablePointer<UInt64>?) -> Int32
        let getChunkStorageSize: @convention(c) (Int64, UnsafePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> Int32
        let readChunk: @convention(c) (Int64, Int64, UnsafePointer<UInt64>, UnsafeMutablePointer<UInt32>, UnsafeMutableRawPointer) -> Int32
    }

    /// The resolved functions, or nil when any is missing, HDF5 is older than 1.10.3, or the
    /// host is big-endian.
    static let functions: Functions? = {
        guard 1.littleEndian == 1, let handle = dlopen(nil, RTLD_NOW) else { return nil }
        func symbol<F>(_ name: String, as _: F.Type) -> F? {
            guard let s = dlsym(handle, name) else { return nil }
            return unsafeBitCast(s, to: F.self)
        }
        typealias Version = @convention(c) (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) -> Int32
        guard let version = symbol("H5get_libversion", as: Version.self) else { return nil }
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        guard version(&major, &minor, &release) >= 0, (major, minor, release) >= (1, 10, 3) else { return nil }
        guard let fileOpen = symbol("H5Fopen", as: (@convention(c) (UnsafePointer<CChar>, UInt32, Int64) -> Int64).self),
              let fileClose = symbol("H5Fclose", as: (@convention(c) (Int64) -> Int32).self),
              let datasetOpen = symbol("H5Dopen2", as: (@convention(c) (Int64, UnsafePointer<CChar>, Int64) -> Int64).self),
              let datasetClose = symbol("H5Dclose", as: (@convention(c) (Int64) -> Int32).self),
              let getCreatePlist = symbol("H5Dget_create_plist", as: (@convention(c) (Int64) -> Int64).self),
              let getType = symbol("H5Dget_type", as: (@convention(c) (Int64) -> Int64).self),
              let getSpace = symbol("H5Dget_space", as: (@convention(c) (Int64) -> Int64).self),
              let plistClose = symbol("H5Pclose", as: (@convention(c) (Int64) -> Int32).self),
              let typeClose = symbol("H5Tclose", as: (@convention(c) (Int64) -> Int32).self),
              let spaceClose = symbol("H5Sclose", as: (@convention(c) (Int64) -> Int32).self),
              let getLayout = symbol("H5Pget_layout", as: (@convention(c) (Int64) -> Int32).self),
              let getChunk = symbol("H5Pget_chunk", as: (@convention(c) (Int64, Int32, UnsafeMutablePointer<UInt64>?) -> Int32).self),
              let getNFilters = symbol("H5Pget_nfilters", as: (@convention(c) (Int64) -> Int32).self),
              let getFilter = symbol("H5Pget_filter2", as: Functions.GetFilter.self),
              let typeEqual = symbol("H5Tequal", as: (@convention(c) (Int64, Int64) -> Int32).self),
              let ieeeF32LE = dlsym(handle, "H5T_IEEE_F32LE_g"),
              let extentDims = symbol("H5Sget_simple_extent_dims", as: (@convention(c) (Int64, UnsafeMutablePointer<UInt64>?, UnsafeMutablePointer<UInt64>?) -> Int32).self),
              let getChunkStorageSize = symbol("H5Dget_chunk_storage_size", as: (@convention(c) (Int64, UnsafePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> Int32).self),
              let readChunk = symbol("H5Dread_chunk", as: (@convention(c) (Int64, Int64, UnsafePointer<UInt64>, UnsafeMutablePointer<UInt32>, UnsafeMutableRawPointer) -> Int32).self)
        else { return nil }
        return Functions(fileOpen: fileOpen, fileClose: fileClose, datasetOpen: datasetOpen, datasetClose: datasetClose,
                         getCreatePlist: getCreatePlist, getType: getType, getSpace: getSpace, plistClose: plistClose,
                         typeClose: typeClose, spaceClose: spaceClose, getLayout: getLayout, getChunk: getChunk,
                         getNFilters: getNFilters, getFilter: getFilter, typeEqual: typeEqual,
                         ieeeF32LE: UnsafePointer(ieeeF32LE.assumingMemoryBound(to: Int64.self)), extentDims: extentDims, getChunkStorageSize: getChunkStorageSize,
                         readChunk: readChunk)
    }()

    /// Opens dataset `name` and checks that its chunks can be decoded here: chunked, `rank`
    /// dimensions, little-endian 32-bit floats, filters shuffle and/or deflate only.
    /// Call with the library lock held.
    static func openDataset(_ file: Int64, name: String, rank: Int, api: Functions) -> StoredChunkDataset? {
        let id = api.datasetOpen(file, name, 0 /* H5P_DEFAULT */)
        guard id >= 0 else { return nil }
        var keep = false
        defer { if !keep { _ = api.datasetClose(id) } }
        // Little-endian IEEE 32-bit floats (H5T_IEEE_F32LE is initialised: libnetcdf opened HDF5).
        let type = api.getType(id)
        guard type >= 0 else { return nil }
        let isFloat = api.typeEqual(type, api.ieeeF32LE.pointee) > 0
        _ = api.typeClose(type)
        guard isFloat else { return nil }
        // The stored extent. The buffer holds HDF5's largest rank (H5S_MAX_RANK = 32): the call
        // writes as many entries as the dataset has dimensions, which a corrupt or unexpected file
        // may make more than `rank`.
        let space = api.getSpace(id)
        guard space >= 0 else { return nil }
        var extent = [UInt64](repeating: 0, count: 32)
        let spaceRank = api.extentDims(space, &extent, nil)
        _ = api.spaceClose(space)
        guard spaceRank == Int32(rank) else { return nil }
        extent.removeLast(32 - rank)
        // Chunked, with known filters only.
        let plist = api.getCreatePlist(id)
        guard plist >= 0 else { return nil }
        defer { _ = api.plistClose(plist) }
        guard api.getLayout(plist) == 2 /* H5D_CHUNKED */ else { return nil }
        var chunk = [UInt64](repeating: 0, count: rank)
        guard api.getChunk(plist, Int32(rank), &chunk) == Int32(rank) else { return nil }
        // The layout's chunk shape, checked before any size is computed from it: every side at
        // least 1 and one chunk at most `maxChunkBytes` (a corrupt header must not size a buffer).
        var chunkValues: UInt64 = 1
        for side in chunk {
            let (product, overflow) = chunkValues.multipliedReportingOverflow(by: side)
            guard side >= 1, !overflow else { return nil }
            chunkValues = product
        }
        guard chunkValues <= UInt64(maxChunkBytes / 4) else { return nil }
        let filterCount = api.getNFilters(plist)
        guard filterCount >= 0 else { return nil }
        var shuffled = false, deflated = false
        for i in 0 ..< UInt32(filterCount) {
            var flags: UInt32 = 0, config: UInt32 = 0
            var valueCount = 8
            var values = [UInt32](repeating: 0, count: 8)
            var filterName = [CChar](repeating: 0, count: 64)
            let filter = api.getFilter(plist, i, &flags, &valueCount, &values, filterName.count, &filterName, &config)
            switch filter {
            case 2 /* H5Z_FILTER_SHUFFLE */ where !shuffled && !deflated: shuffled = true   // shuffle runs before deflate
            case 1 /* H5Z_FILTER_DEFLATE */ where !deflated: deflated = true
            default: return nil
            }
        }
        keep = true
        return StoredChunkDataset(id: id, chunkShape: chunk.map { Int(clamping: $0) }, extent: extent.map { Int(clamping: $0) },
                                  shuffled: shuffled, deflated: deflated)
    }

    /// Undoes HDF5's shuffle of 4-byte values: byte k of value i is stored at `k·count + i`.
    static func unshuffle4(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<Float>, count n: Int) {
        let b0 = src, b1 = src + n, b2 = src + 2 * n, b3 = src + 3 * n
        dst.withMemoryRebound(to: UInt32.self, capacity: n) { out in
            for i in 0 ..< n {
                out[i] = UInt32(b0[i]) | UInt32(b1[i]) << 8 | UInt32(b2[i]) << 16 | UInt32(b3[i]) << 24
            }
        }
    }
}

extension StoredChunkAPI.Functions {
    /// `H5Z_filter_t H5Pget_filter2(hid_t, unsigned, unsigned *, size_t *, unsigned [], size_t, char [], unsigned *)`.
    typealias GetFilter = @convention(c) (Int64, UInt32, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<Int>?,
                                          UnsafeMutablePointer<UInt32>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<UInt32>?) -> Int32
}

/// Inflating a zlib stream (RFC 1950, HDF5's deflate filter) into a buffer of known size
/// with libdeflate: whole-buffer decompression about 2.8 times faster than zlib's `inflate`
/// on these chunks (0.30 vs 0.86 ms for a 420 kB chunk), Adler-32 verified.
enum Inflate {
    /// Inflates `src` into exactly `count` bytes at `dst`.
    /// - Returns: nil on success, else what is wrong with the stream.
    static func zlib(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableRawPointer, count: Int,
                     decompressor: OpaquePointer) -> String? {
        guard let base = src.baseAddress else { return "is empty" }
        var produced = 0
        switch libdeflate_zlib_decompress(decompressor, base, src.count, dst, count, &produced) {
        case LIBDEFLATE_SUCCESS:
            return produced == count ? nil : "inflates to \(produced) bytes instead of \(count)"
        case LIBDEFLATE_SHORT_OUTPUT:
            return "inflates to fewer than \(count) bytes"
        case LIBDEFLATE_INSUFFICIENT_SPACE:
            return "inflates to more than \(count) bytes"
        default:
            return "is not a valid zlib stream (or fails its Adler-32 check)"
        }
    }
}
