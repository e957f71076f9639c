import Foundation
import Testing
import Upwind
import UpwindTestSupport

@Suite("Writers to memory write the bytes they write to a file")
struct WriterSinkTests {
    static func trajectories() async throws -> TrajectoryResult {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        return try await TrajectoryRunner(met: met, starts: caribbeanStarts(), options: TrajectoryOptions(hours: -24), ensemble: true).run()
    }

    @Test("every format: a path and a DataSink get the same bytes", arguments: TrajectoryFileFormat.allCases)
    func sameBytes(format: TrajectoryFileFormat) async throws {
        let result = try await Self.trajectories()
        let dir = try TemporaryDirectory()
        let path = dir.path("out.\(format == .openair ? "csv" : format.rawValue == "netcdf" ? "nc" : format.rawValue)")
        try TrajectoryFiles.write(result.trajectories, to: path, format: format)
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        let memory = try TrajectoryFiles.data(result.trajectories, format: format)
        if format == .netcdf {
            // NetCDF-4 (HDF5) is rebuilt in a temporary file: compare what it holds.
            try Data(memory).write(to: URL(fileURLWithPath: dir.path("memory.nc")))
            let a = try TrajectoryNetCDF.read(path: path), b = try TrajectoryNetCDF.read(path: dir.path("memory.nc"))
            #expect(a == b && a.count == 81)
        } else {
            #expect(file == memory, "\(format)")
        }
        #expect(file.count > 1000)
        // The result's own writers agree with TrajectoryFiles (CSV: the met's diagnostic columns).
        if format != .netcdf && format != .csv {
            #expect(try result.data(format: format) == memory)
        }
        if format == .tdump {
            let sink = DataSink()
            try TdumpWriter.write(result.trajectories, to: sink)
            #expect(sink.data == file && sink.isFinished)
        }
    }

    @Test("CSV and GeoJSON stream row by row to any sink, with the file's bytes")
    func streaming() async throws {
        let result = try await Self.trajectories()
        let dir = try TemporaryDirectory()
        for format in [TrajectoryFileFormat.csv, .geojson] {
            let sink = DataSink()
            let memory: any TrajectoryStreamWriter = format == .csv ? try TrajectoryCSVWriter(sink: sink, diagnostics: result.met.diagnostics)
                : try TrajectoryGeoJSONWriter(sink: sink)
            let path = dir.path("stream.\(format.rawValue)")
            let file: any TrajectoryStreamWriter = format == .csv ? try TrajectoryCSVWriter(path: path, diagnostics: result.met.diagnostics)
                : try TrajectoryGeoJSONWriter(path: path)
            var sizes: [Int] = []
            for t in result.trajectories {
                try memory.write(t)
                try file.write(t)
                sizes.append(sink.data.count)
            }
            try memory.finish()
            try file.finish()
            // Bytes arrive as each trajectory is written, not at the end.
            #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 < $1 })
            #expect(sink.data == (try Data(contentsOf: URL(fileURLWithPath: path))))
            #expect(throws: TrajectoryOutputError.self) { try memory.write(result.trajectories[0]) }
        }
        // CSV carries the met's diagnostics, as the CLI writes it.
        let header = String(decoding: try result.data(format: .csv).prefix(400), as: UTF8.self).split(separator: "\n")[0]
        #expect(header.hasSuffix("terrain_m,temperature_k,theta_k,mixing_depth_m,relative_humidity_pct,termination"))
    }
}
