import UpwindCore

enum Fixture {
    static let start = UTCTime(year: 2024, month: 1, day: 15, hour: 6)

    /// A three-endpoint backward trajectory from a site whose name needs CSV quoting.
    /// Endpoint 2 has NaN pressure, nil mixing depth and a longitude of 190 (= −170).
    static func backward(id: Int = 1, site: String = "Beijing, \"PKU\"") -> Trajectory {
        let s = TrajectoryStart(site: site, latitude: 39.9, longitude: 116.4, height: 500, time: start)
        let endpoints = [
            TrajectoryEndpoint(time: start, ageHours: -0.0, latitude: 39.9, longitude: 116.4, heightAGL: 500,
                               pressureHPa: 950.04,
                               diagnostics: EndpointDiagnostics(terrainM: 50, temperatureK: 270.16, thetaK: 274.349,
                                                                mixingDepthM: 812.26, relativeHumidityPct: 55.56)),
            TrajectoryEndpoint(time: start + -3600, ageHours: -1, latitude: 40.12346, longitude: 190, heightAGL: 612.36,
                               pressureHPa: .nan,
                               diagnostics: EndpointDiagnostics(terrainM: 48.04, temperatureK: .nan, thetaK: nil,
                                                                mixingDepthM: nil, relativeHumidityPct: 60)),
            TrajectoryEndpoint(time: start + -7200, ageHours: -2, latitude: -0.00001, longitude: -0.00004, heightAGL: -0.01,
                               pressureHPa: 900,
                               diagnostics: EndpointDiagnostics(terrainM: -0.04)),
        ]
        return Trajectory(id: id, start: s, member: 0, isBackward: true, verticalMode: .data, endpoints: endpoints,
                          termination: Termination(reason: .completed, time: start + -7200))
    }

    /// A trajectory through the given (longitude, latitude) points, hourly backward.
    static func path(_ points: [(lon: Double, lat: Double)], id: Int = 7, site: String = "S1",
                     reason: TerminationReason = .leftDomain) -> Trajectory {
        let s = TrajectoryStart(site: site, latitude: points.first?.lat ?? 0, longitude: points.first?.lon ?? 0,
                                height: 100, time: start)
        let endpoints = points.enumerated().map { i, p in
            TrajectoryEndpoint(time: start + Int64(-3600 * i), ageHours: Double(-i), latitude: p.lat, longitude: p.lon,
                               heightAGL: 100 + Double(i), pressureHPa: i == 1 ? .nan : 1000 - Double(i))
        }
        return Trajectory(id: id, start: s, member: 3, isBackward: true, verticalMode: .isobaric, endpoints: endpoints,
                          termination: Termination(reason: reason, time: start))
    }
}
