import Foundation
import Testing
import UpwindTestSupport

/// Issue 13: `--out` names a file, a symbolic link, a FIFO, a device or `-` (standard output).
@Suite("upwind trajectories --out targets")
struct OutputTargetsCLITests {
    let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path
    var run: [String] {
        ["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1987-01-05T00:00:00Z", "--hours", "-3", "--vertical", "isobaric"]
    }

    static func type(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    @Test("--out - writes CSV, GeoJSON and tdump to stdout and the summary to stderr", arguments: ["csv", "geojson", "tdump"])
    func standardOutput(_ format: String) throws {
        let r = try CLI.run(run + ["--out", "-", "--format", format])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("1 trajectories, 1 completed") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        switch format {
        case "csv": #expect(r.stdout.hasPrefix("trajectory,site,member,") && r.stdout.split(separator: "\n").count == 5)
        case "geojson": #expect(r.stdout.hasPrefix("{\"type\":\"FeatureCollection\""))
        default: #expect(r.stdout.split(separator: "\n").count > 5 && r.stdout.contains("BACKWARD"))
        }
        #expect(!r.stdout.contains("trajectories, 1 completed"))
    }

    @Test("--out /dev/stdout streams to stdout with the summary on stderr")
    func devStdout() throws {
        let r = try CLI.run(run + ["--out", "/dev/stdout"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("trajectory,site,member,") && r.stderr.hasPrefix("1 trajectories, 1 completed"))
    }

    @Test("--out FIFO: written directly, the FIFO stays a FIFO")
    func fifo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("pipe.csv")
        #expect(mkfifo(path, 0o600) == 0)
        let reader = OutputTargetTests_FIFOReader(path)
        let r = try CLI.run(run + ["--out", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(String(decoding: reader.wait(), as: UTF8.self).hasPrefix("trajectory,site,member,"))
        #expect(Self.type(path) == S_IFIFO)
        #expect(try dir.contents() == ["pipe.csv"])
    }

    @Test("--out LINK: the link stays, its target is replaced")
    func symlink() throws {
        let dir = try TemporaryDirectory()
        try dir.write("real.csv", "old\n")
        #expect(Foundation.symlink("real.csv", dir.path("link.csv")) == 0)
        let r = try CLI.run(run + ["--out", dir.path("link.csv")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.type(dir.path("link.csv")) == S_IFLNK)
        #expect(try dir.read("real.csv").hasPrefix("trajectory,site,member,"))
        #expect(try dir.contents() == ["link.csv", "real.csv"])
    }

    @Test("a failing run leaves a pre-existing output untouched and no temporary file, for every format",
          arguments: ["csv", "geojson", "tdump", "netcdf"])
    func failingRun(_ format: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("keep.out", "earlier output\n")
        // A start time outside the met: the run fails after the output was opened.
        let r = try CLI.run(["trajectories", "--met", grads, "--start", "40,116,1500",
                             "--time", "1990-01-05T00:00:00Z", "--hours", "-3", "--vertical", "isobaric", "--format", format,
                             "--out", dir.path("keep.out")])
        #expect(r.status == 1 && r.stdout.isEmpty, "\(r.stderr)")
        #expect(try dir.read("keep.out") == "earlier output\n")
        #expect(try dir.contents() == ["keep.out"])
        // With --out - a failing run prints nothing on stdout.
        let s = try CLI.run(["trajectories", "--met", grads, "--start", "40,116,1500", "--time", "1990-01-05T00:00:00Z",
                             "--hours", "-3", "--vertical", "isobaric", "--format", format, "--out", "-"])
        #expect(s.status == 1 && s.stdout.isEmpty && s.stderr.split(separator: "\n").count == 1, "\(s.stderr)")
    }
}

/// Reads a FIFO to its end on a background thread.
final class OutputTargetTests_FIFOReader: @unchecked Sendable {   // `data` is read only after `wait()`
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

@Suite("upwind convert-met output targets")
struct ConvertMetTargetsCLITests {
    @Test("convert-met to a FIFO is refused (a met file needs seeking) and the FIFO stays; to a link, the link stays and its target is written")
    func targets() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path("met.nc")
        #expect(mkfifo(fifo, 0o600) == 0)
        let r = try CLI.run(["convert-met", Fixtures.met("oct1618.BIN"), fifo])
        #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("FIFO"), "\(r.stderr)")
        #expect(OutputTargetsCLITests.type(fifo) == S_IFIFO)
        #expect(Foundation.symlink("real.nc", dir.path("link.nc")) == 0)
        let s = try CLI.run(["convert-met", Fixtures.met("oct1618.BIN"), dir.path("link.nc")])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(OutputTargetsCLITests.type(dir.path("link.nc")) == S_IFLNK && OutputTargetsCLITests.type(dir.path("real.nc")) == S_IFREG)
        #expect(try dir.contents() == ["link.nc", "met.nc", "real.nc"])
    }
}
