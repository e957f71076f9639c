import CNetCDF
import Synchronization

/// The one lock serialising every libnetcdf call of the process (libnetcdf is not thread-safe).
private let libraryLock = Mutex<Void>(())

/// The per-variable HDF5 chunk cache for files opened from now on, bytes (set under the lock).
private let chunkCacheSetting = Mutex<(bytes: Int, applied: Bool)>((256 * 1024, false))

extension NetCDFFile {
    /// Sets the per-variable chunk cache (bytes) libnetcdf gives NetCDF-4 files opened from
    /// now on. Upwind reads whole time slices, so the default is small (256 KiB): libnetcdf's
    /// own default hoards decompressed chunks of every variable of every open file (gigabytes
    /// over a season of daily files).
    public static func setDefaultChunkCache(bytes: Int) {
        chunkCacheSetting.withLock { $0 = (max(0, bytes), false) }
    }
}

/// Access to libnetcdf. Every `nc_*` call of NetCDFKit runs inside ``locked(_:)``
/// (directly or through ``exec(_:path:variable:_:)``). The lock is not recursive:
/// code running inside `locked` must only use the non-locking helpers (`check`, `readName`).
enum Library {
    /// Runs `body` while holding the global libnetcdf lock.
    static func locked<R: Sendable>(_ body: () throws -> R) throws -> R {
        try libraryLock.withLock { (_: inout Void) throws -> R in
            _ = exitHandlerDisabled
            HDF5Diagnostics.silenceCurrentThread()
            return try body()
        }
    }

    /// HDF5's exit handler turned off once, before the first libnetcdf call (see ``HDF5Diagnostics``).
    private static let exitHandlerDisabled: Bool = {
        HDF5Diagnostics.disableExitHandler()
        return true
    }()

    /// Applies the chunk-cache setting once (call with the lock held).
    static func applyDefaultChunkCache() {
        chunkCacheSetting.withLock { setting in
            guard !setting.applied else { return }
            _ = nc_set_chunk_cache(setting.bytes, 31, 0.75)
            setting.applied = true
        }
    }

    /// Runs a single libnetcdf call under the lock and turns a non-zero status into
    /// ``NetCDFError/library(code:message:path:variable:operation:)``.
    static func exec(
        _ operation: String, path: String, variable: String? = nil, _ call: () -> Int32
    ) throws {
        try locked { () throws in
            try check(call(), operation, path: path, variable: variable)
        }
    }

    /// Turns a non-zero libnetcdf status into an error. Call with the lock held.
    static func check(
        _ status: Int32, _ operation: String, path: String, variable: String? = nil
    ) throws {
        guard status != NC_NOERR else { return }
        throw NetCDFError.library(code: status, message: message(status), path: path,
                       variable: variable, operation: operation)
    }

    /// `nc_strerror`'s text for a status code. Call with the lock held.
    static func message(_ status: Int32) -> String {
        guard let text = nc_strerror(status) else { return "unknown error" }
        return String(cString: text)
    }

    /// Calls an `nc_inq_*` function filling a name buffer of `NC_MAX_NAME + 1` bytes.
    /// Call with the lock held.
    static func readName(
        _ operation: String, path: String, variable: String? = nil,
        _ call: (UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
        let status = buffer.withUnsafeMutableBufferPointer { raw -> Int32 in
            guard let base = raw.baseAddress else { return NC_ENOMEM }
            return call(base)
        }
        try check(status, operation, path: path, variable: variable)
        buffer[buffer.count - 1] = 0
        return stringFromCChars(buffer)
    }

    /// Decodes a NUL-terminated (or full) C character buffer as UTF-8, replacing invalid bytes.
    static func stringFromCChars(_ chars: [CChar]) -> String {
        let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Converts a C string pointer (possibly nil) to a Swift string.
    static func string(from pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}

/// Checked arithmetic on sizes and index vectors.
enum Sizes {
    /// The product of `values`, or nil on overflow or a negative entry.
    static func product(_ values: [Int]) -> Int? {
        var result = 1
        for value in values {
            guard value >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: value)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }
}
