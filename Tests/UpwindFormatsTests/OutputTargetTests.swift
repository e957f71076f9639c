import Foundation
import Testing
import UpwindCore
@testable import UpwindFormats
import UpwindTestSupport

/// Issue 13: outputs go through a temporary file and a rename only for regular files (or new
/// paths); FIFOs and devices are written directly; a symbolic link keeps pointing at its
/// replaced target; a failed write leaves neither a partial nor a temporary file.
@Suite("Output targets")
struct OutputTargetTests {
    /// The file type of `path` without following a last symbolic link.
    static func type(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    /// Reads a FIFO to its end on a background thread.
    final class FIFOReader: @unchecked Sendable {   // `data` is read only after `wait()`
        private let done = DispatchSemaphore(value: 0)
        private var data = Data()
        init(_ path: String) {
            Thread.detachNewThread { [self] in
                if let h = FileHandle(forReadingAtPath: path) { data = h.readDataToEndOfFile(); try? h.close() }
                done.signal()
            }
        }
        func wait() -> Data { done.wait(); return data }
    }

    @Test("a FIFO is written directly and stays a FIFO (was: renamed over, becoming a regular file)")
    func fifo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.csv")
        #expect(mkfifo(path, 0o600) == 0)
        let reader = FIFOReader(path)
        let sink = try FileSink(path: path)
        try sink.write(Data("a,b\n".utf8))
        try sink.write(Data("1,2\n".utf8))
        try sink.finish()
        #expect(String(decoding: reader.wait(), as: UTF8.self) == "a,b\n1,2\n")
        #expect(Self.type(path) == S_IFIFO)
        #expect(try dir.contents() == ["out.csv"])
    }

    @Test("NetCDF (written by libnetcdf to a staged file) reaches a FIFO whole, and the staged file is removed")
    func netCDFToFIFO() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.nc")
        #expect(mkfifo(path, 0o600) == 0)
        let reader = FIFOReader(path)
        let trajectories = try TdumpReader.read(path: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump").path)
        try TrajectoryNetCDF.write(trajectories, to: path)
        let bytes = reader.wait()
        #expect(bytes.starts(with: [0x89, 0x48, 0x44, 0x46]))   // "\x89HDF"
        let copy = dir.path("copy.nc")
        try bytes.write(to: URL(fileURLWithPath: copy))
        #expect(try TrajectoryNetCDF.read(path: copy).count == trajectories.count)
        #expect(Self.type(path) == S_IFIFO)
    }

    @Test("a character device (/dev/null) is written directly and stays a device")
    func characterDevice() throws {
        let sink = try FileSink(path: "/dev/null")
        try sink.write(Data("x\n".utf8))
        try sink.finish()
        #expect(Self.type("/dev/null") == S_IFCHR)
    }

    @Test("/dev/full: the write error names the reason (no space) and the device stays a device", .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")))
    func deviceFull() throws {
        let sink = try FileSink(path: "/dev/full")
        #expect { try sink.write(Data(repeating: 65, count: 1 << 16)); try sink.finish() } throws: { error in
            guard case TrajectoryOutputError.writeFailed(let p, let reason) = error else { return false }
            return p == "/dev/full" && reason.contains("No space left")
        }
        #expect(Self.type("/dev/full") == S_IFCHR)
    }

    @Test("a symbolic link stays a link; its target is replaced atomically; a relative and a dangling link too")
    func symlink() throws {
        let dir = try TemporaryDirectory()
        try dir.write("real.csv", "old\n")
        #expect(Foundation.symlink("real.csv", dir.path("link.csv")) == 0)
        let sink = try FileSink(path: dir.path("link.csv"))
        try sink.write(Data("new\n".utf8))
        try sink.finish()
        #expect(Self.type(dir.path("link.csv")) == S_IFLNK)
        #expect(try dir.read("real.csv") == "new\n")
        // A link to a link to a file that does not exist yet creates that file.
        #expect(Foundation.symlink(dir.path("chain.csv"), dir.path("outer.csv")) == 0)
        #expect(Foundation.symlink("made.csv", dir.path("chain.csv")) == 0)
        try TdumpWriter.write(try TdumpReader.read(path: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump").path), to: dir.path("outer.csv"))
        #expect(Self.type(dir.path("outer.csv")) == S_IFLNK && Self.type(dir.path("chain.csv")) == S_IFLNK && Self.type(dir.path("made.csv")) == S_IFREG)
        #expect(try dir.read("made.csv").hasPrefix("     1     1"))
        #expect(try dir.contents() == ["chain.csv", "link.csv", "made.csv", "outer.csv", "real.csv"])
    }

    @Test("a link loop is refused with a message, not followed forever")
    func linkLoop() throws {
        let dir = try TemporaryDirectory()
        #expect(Foundation.symlink("b", dir.path("a")) == 0)
        #expect(Foundation.symlink("a", dir.path("b")) == 0)
        #expect(throws: TrajectoryOutputError.self) { try FileSink(path: dir.path("a")) }
    }

    @Test("a pre-existing file and a failing run: the file is untouched and no temporary file is left")
    func failingRunLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("keep.csv", "earlier output\n")
        do {
            let sink = try FileSink(path: dir.path("keep.csv"))
            try sink.write(Data("half of a new output".utf8))
            #expect(try dir.contents().count == 2)   // the temporary file exists while writing
            // The run fails here: the sink is dropped unfinished.
        }
        #expect(try dir.read("keep.csv") == "earlier output\n")
        #expect(try dir.contents() == ["keep.csv"])
    }

    @Test("the replaced file keeps its permissions")
    func permissionsKept() throws {
        let dir = try TemporaryDirectory()
        try dir.write("out.csv", "old\n")
        #expect(chmod(dir.path("out.csv"), 0o640) == 0)
        let sink = try FileSink(path: dir.path("out.csv"))
        try sink.write(Data("new\n".utf8))
        try sink.finish()
        #expect(try FileManager.default.attributesOfItem(atPath: dir.path("out.csv"))[.posixPermissions] as? Int == 0o640)
    }

    @Test("'-', /dev/stdout, /dev/fd/N name descriptors; a folder is refused")
    func names() throws {
        #expect(AtomicOutputFile.standardDescriptor("-") == 1 && AtomicOutputFile.standardDescriptor("/dev/stdout") == 1)
        #expect(AtomicOutputFile.standardDescriptor("/dev/fd/2") == 2 && AtomicOutputFile.standardDescriptor("/proc/self/fd/7") == 7)
        #expect(AtomicOutputFile.standardDescriptor("/dev/null") == nil && AtomicOutputFile.standardDescriptor("out.csv") == nil)
        #expect(FileSink.isStandardOutput("-") && !FileSink.isStandardOutput("/dev/stderr"))
        let dir = try TemporaryDirectory()
        #expect(throws: TrajectoryOutputError.destinationIsFolder(path: dir.path)) { try FileSink(path: dir.path) }
        #expect(throws: TrajectoryOutputError.folderMissing(path: dir.path("no/x.csv"), folder: dir.path("no"))) { try FileSink(path: dir.path("no/x.csv")) }
    }
}
