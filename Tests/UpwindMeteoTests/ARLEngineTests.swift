import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// HYSPLIT v5.3.0's endpoints for the tutorial case (`/work/shared/data/hysplit/tutorial_fwd12.tdump`):
/// forward 12 h from 40N 90W at 10, 500 and 1000 m AGL, 1995-10-16 00Z, model vertical
/// velocity, on oct1618.BIN. Per hour: (latitude, longitude) for each start height.
let hysplitTutorialEndpoints: [[(Double, Double)]] = [
    [(40.000, -90.000), (40.000, -90.000), (40.000, -90.000)],
    [(39.879, -89.823), (39.768, -89.656), (39.715, -89.582)],
    [(39.772, -89.640), (39.569, -89.301), (39.469, -89.145)],
    [(39.662, -89.469), (39.377, -88.967), (39.242, -88.723)],
    [(39.533, -89.325), (39.167, -88.674), (39.007, -88.336)],
    [(39.395, -89.200), (38.939, -88.399), (38.763, -87.956)],
    [(39.252, -89.085), (38.692, -88.123), (38.505, -87.567)],
    [(39.102, -88.969), (38.430, -87.846), (38.239, -87.172)],
    [(38.943, -88.846), (38.175, -87.575), (37.983, -86.781)],
    [(38.785, -88.728), (37.929, -87.324), (37.733, -86.399)],
    [(38.636, -88.634), (37.681, -87.091), (37.475, -86.017)],
    [(38.486, -88.563), (37.418, -86.887), (37.195, -85.645)],
    [(38.323, -88.517), (37.131, -86.723), (36.887, -85.300)],
]

func km(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
    Geodesy.distance(latitude1: a.0, longitude1: a.1, latitude2: b.0, longitude2: b.1) / 1000
}

@Suite("ARL: the engine on real ARL files")
struct ARLEngineTests {
    /// The 500 m and 1000 m parcels stay within 10 km of HYSPLIT's (8.1 and 3.0 km after 12 h
    /// when written). The 10 m parcel starts below the lowest σ level (0.9823, about 150 m
    /// AGL), where the engine uses a neutral log wind profile (z₀ = 0.1 m) and ω falling to zero
    /// at the ground; HYSPLIT's own near-surface rule is not documented, so the 10 m parcel is
    /// bounded loosely here.
    @Test("oct1618.BIN: the HYSPLIT tutorial (forward 12 h, 40N 90W, 10/500/1000 m, vertical data) against HYSPLIT v5.3.0")
    func tutorial() throws {
        let field = try ARLWindField(paths: [Fixtures.met("oct1618.BIN")])
        let t0 = UTCTime(year: 1995, month: 10, day: 16)
        let starts = [10.0, 500, 1000].map { TrajectoryStart(site: "T", latitude: 40, longitude: -90, height: $0, time: t0) }
        let run = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 12)).run(starts)
        #expect(run.trajectories.count == 3)
        var report: [String] = []
        for (n, tr) in run.trajectories.enumerated() {
            #expect(tr.termination.reason == .completed)
            #expect(tr.endpoints.count == 13)
            #expect(tr.provenance.metModel == "NGM")
            var line = "\(Int(starts[n].height)) m:"
            for (h, e) in tr.endpoints.enumerated() where h < hysplitTutorialEndpoints.count {
                let d = km((e.latitude, e.longitude), hysplitTutorialEndpoints[h][n])
                line += String(format: " %.1f", d)
                #expect(d < (n == 0 ? 40 : 30), "hour \(h), \(starts[n].height) m: \(d) km from HYSPLIT")
            }
            if let last = tr.endpoints.last { line += String(format: "  end %.3f %.3f %.1f m %.1f hPa", last.latitude, last.longitude, last.heightAGL, last.pressureHPa) }
            report.append(line)
        }
        print("ARL tutorial distances (km per hour):\n" + report.joined(separator: "\n"))
    }

    @Test("gdas_042.bin: backward 24 h from Montserrat at 500/1500/3000 m, vertical data and isobaric",
          arguments: [VerticalMode.data, .isobaric])
    func montserrat(mode: VerticalMode) throws {
        let field = try ARLWindField(paths: [Fixtures.met("gdas_042.bin")])
        let t0 = UTCTime(year: 2010, month: 2, day: 13)
        let starts = [500.0, 1500, 3000].map { TrajectoryStart(site: "MVO", latitude: 16.7, longitude: -62.2, height: $0, time: t0) }
        let run = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -24, verticalMode: mode)).run(starts)
        #expect(run.trajectories.count == 3)
        for tr in run.trajectories {
            let last = try #require(tr.endpoints.last)
            print("GDAS \(mode) \(tr.start.height) m: \(tr.termination.reason) after \(tr.endpoints.count - 1) h; " +
                  String(format: "end %.3f %.3f %.0f m %.1f hPa", last.latitude, last.longitude, last.heightAGL, last.pressureHPa))
            #expect(tr.termination.reason == .completed)
            #expect(tr.isBackward && tr.endpoints.count == 25 && tr.provenance.metModel == "GDAS")
            #expect(last.time == UTCTime(year: 2010, month: 2, day: 12))
            // Easterly trades: the air came from the east, within the 8–22N, 68–46W file.
            #expect(last.longitude > -62.2 && last.longitude < -56 && last.latitude > 14 && last.latitude < 20)
            #expect(tr.endpoints.allSatisfy { $0.pressureHPa > 600 && $0.pressureHPa < 1015 && $0.heightAGL >= 0 && $0.heightAGL < 4500 })
            if mode == .isobaric, let first = tr.endpoints.first {
                #expect(tr.endpoints.allSatisfy { abs($0.pressureHPa - first.pressureHPa) < 0.05 })
            }
        }
    }
}
