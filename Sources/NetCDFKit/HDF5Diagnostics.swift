#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps HDF5 (which libnetcdf uses for netCDF-4 files) from writing to stderr, ever: Upwind's
/// errors are one line, and libnetcdf already reports failures through its status codes, which
/// NetCDFKit turns into ``NetCDFError``.
///
/// Three sources of HDF5 output are closed:
/// - the automatic error-stack printing ("HDF5-DIAG: Error detected ..."): libnetcdf turns it
///   off only on the thread that first initialises HDF5; with a thread-safe HDF5 build the
///   setting is per thread, so ``silenceCurrentThread()`` turns it off (`H5Eset_auto2(H5E_DEFAULT,
///   NULL, NULL)`) on every thread before each library call;
/// - identifiers a failed `nc_open` leaves open (libnetcdf does not close the HDF5 file and
///   objects it opened when a corrupt netCDF-4 file fails part-way): ``openIdentifiers()`` is
///   taken before `nc_open` and ``closeLeaked(since:)`` releases what a failed open added;
/// - the report HDF5's exit handler prints when identifiers are still open at exit ("HDF5:
///   infinite loop closing library" and an identifier dump): ``disableExitHandler()`` asks HDF5,
///   before it is initialised, not to install that handler (`H5dont_atexit`). NetCDFKit closes
///   every file it opens, so nothing is left for the handler to flush.
///
/// The functions are looked up dynamically in the HDF5 library libnetcdf already loaded
/// (NetCDFKit does not link HDF5 itself); when HDF5 is absent (netCDF built without it) all of
/// this does nothing.
enum HDF5Diagnostics {
    /// `herr_t H5Eset_auto2(hid_t estack_id, H5E_auto2_t func, void *client_data)`.
    typealias SetAuto = @convention(c) (Int64, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32
    /// `ssize_t H5Fget_obj_count(hid_t file_id, unsigned types)`.
    typealias GetObjectCount = @convention(c) (Int64, UInt32) -> Int
    /// `ssize_t H5Fget_obj_ids(hid_t file_id, unsigned types, size_t max_objs, hid_t *obj_id_list)`.
    typealias GetObjectIDs = @convention(c) (Int64, UInt32, Int, UnsafeMutablePointer<Int64>?) -> Int
    /// `int H5Idec_ref(hid_t id)`, `htri_t H5Iis_valid(hid_t id)`.
    typealias IDFunction = @convention(c) (Int64) -> Int32
    /// `herr_t H5dont_atexit(void)`.
    typealias DontAtExit = @convention(c) () -> Int32

    /// `H5F_OBJ_FILE`, `H5F_OBJ_ALL` (files, datasets, groups, datatypes, attributes).
    static let objectFile: UInt32 = 0x0001, objectAll: UInt32 = 0x001F

    /// The resolved HDF5 functions. `@unchecked Sendable`: immutable C function addresses.
    struct Functions: @unchecked Sendable {
        let setAuto: SetAuto?
        let objectCount: GetObjectCount?
        let objectIDs: GetObjectIDs?
        let decRef: IDFunction?
        let isValid: IDFunction?
        let dontAtExit: DontAtExit?
    }

    /// HDF5's functions, if HDF5 is loaded.
    static let functions: Functions = {
        guard let handle = dlopen(nil, RTLD_NOW) else {
            return Functions(setAuto: nil, objectCount: nil, objectIDs: nil, decRef: nil, isValid: nil, dontAtExit: nil)
        }
        func symbol<F>(_ name: String, as _: F.Type) -> F? { dlsym(handle, name).map { unsafeBitCast($0, to: F.self) } }
        return Functions(setAuto: symbol("H5Eset_auto2", as: SetAuto.self), objectCount: symbol("H5Fget_obj_count", as: GetObjectCount.self),
                         objectIDs: symbol("H5Fget_obj_ids", as: GetObjectIDs.self), decRef: symbol("H5Idec_ref", as: IDFunction.self),
                         isValid: symbol("H5Iis_valid", as: IDFunction.self), dontAtExit: symbol("H5dont_atexit", as: DontAtExit.self))
    }()

    /// The resolved `H5Eset_auto2`, if HDF5 is loaded.
    static var setAuto: SetAuto? { functions.setAuto }

    /// Turns automatic error printing off for the default error stack of the calling thread.
    /// Call with the library lock held.
    static func silenceCurrentThread() {
        _ = functions.setAuto?(0, nil, nil)   // H5E_DEFAULT == 0
    }

    /// Asks HDF5 not to install its exit handler (effective only before HDF5 initialises, i.e.
    /// before the first libnetcdf call; later calls are harmless no-ops). Call with the lock held.
    static func disableExitHandler() {
        _ = functions.dontAtExit?()
    }

    /// The number of HDF5 identifiers open in the process (files, datasets, groups, datatypes,
    /// attributes of every file), or nil without HDF5. Call with the library lock held.
    static func openIdentifierCount() -> Int? {
        guard let count = functions.objectCount else { return nil }
        let n = count(Int64(objectAll), objectAll)   // file_id H5F_OBJ_ALL: every open file
        return n >= 0 ? n : nil
    }

    /// The HDF5 identifiers open in the process (empty without HDF5). Call with the lock held.
    static func openIdentifiers() -> Set<Int64> {
        guard let count = functions.objectCount, let list = functions.objectIDs else { return [] }
        let n = count(Int64(objectAll), objectAll)
        guard n > 0 else { return [] }
        var ids = [Int64](repeating: -1, count: n)
        let got = list(Int64(objectAll), objectAll, n, &ids)
        return Set(ids.prefix(max(0, min(got, n))).filter { $0 >= 0 })
    }

    /// Releases the identifiers opened since `before` (a failed `nc_open` leaves them): objects
    /// first, then files, each until HDF5 reports it invalid. Call with the library lock held,
    /// right after the failed open (nothing else can have opened identifiers meanwhile).
    static func closeLeaked(since before: Set<Int64>) {
        guard let decRef = functions.decRef, let isValid = functions.isValid else { return }
        let leaked = openIdentifiers().subtracting(before)
        guard !leaked.isEmpty else { return }
        let files = Set(openFileIdentifiers()).intersection(leaked)
        for id in leaked.subtracting(files).sorted() + files.sorted() {
            var guardCount = 0
            while isValid(id) > 0 && guardCount < 1_000 {
                if decRef(id) < 0 { break }
                guardCount += 1
            }
        }
    }

    /// The open HDF5 file identifiers. Call with the library lock held.
    private static func openFileIdentifiers() -> [Int64] {
        guard let count = functions.objectCount, let list = functions.objectIDs else { return [] }
        let n = count(Int64(objectAll), objectFile)
        guard n > 0 else { return [] }
        var ids = [Int64](repeating: -1, count: n)
        let got = list(Int64(objectAll), objectFile, n, &ids)
        return Array(ids.prefix(max(0, min(got, n))))
    }
}

extension NetCDFFile {
    /// The number of HDF5 identifiers open in the process (nil when libnetcdf has no HDF5): 0
    /// once every netCDF-4 file is closed, also after opens that failed on corrupt files. For
    /// tests and diagnostics.
    public static func openHDF5IdentifierCount() -> Int? {
        try? Library.locked { HDF5Diagnostics.openIdentifierCount() }
    }
}
