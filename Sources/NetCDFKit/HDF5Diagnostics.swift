#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Silences HDF5's automatic error-stack printing ("HDF5-DIAG: Error detected ...").
///
/// libnetcdf turns HDF5's error printing off only on the thread that first initialises
/// HDF5; with a thread-safe HDF5 build the setting is per thread, so harmless probes
/// libnetcdf makes (e.g. for optional `_Quantize*` attributes) would spam stderr from every
/// other thread. libnetcdf already reports failures through its status codes, which
/// NetCDFKit turns into ``NetCDFError``, so the printout carries no extra information.
/// `H5Eset_auto2` is looked up dynamically in the already-loaded HDF5 library (libnetcdf
/// links it); when it is absent (netCDF built without HDF5) this does nothing.
enum HDF5Diagnostics {
    /// `herr_t H5Eset_auto2(hid_t estack_id, H5E_auto2_t func, void *client_data)`.
    typealias SetAuto = @convention(c) (Int64, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32

    /// The resolved `H5Eset_auto2`, if HDF5 is loaded.
    static let setAuto: SetAuto? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "H5Eset_auto2") else { return nil }
        return unsafeBitCast(symbol, to: SetAuto.self)
    }()

    /// Turns automatic error printing off for the default error stack of the calling thread.
    /// Call with the library lock held.
    static func silenceCurrentThread() {
        _ = setAuto?(0, nil, nil)   // H5E_DEFAULT == 0
    }
}
