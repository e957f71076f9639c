// Prints the time coverage of a met dataset and the wind at its grid centre at every time.
// Usage: swift run InspectMet FILE_OR_GLOB...
import Foundation
import Upwind

let paths = Array(CommandLine.arguments.dropFirst())
guard !paths.isEmpty else {
    FileHandle.standardError.write(Data("usage: InspectMet FILE_OR_GLOB...\n".utf8))
    exit(2)
}
do {
    let met = try MetDataset(paths: paths)
    let y = met.grid.ny / 2, x = met.grid.nx / 2
    print("centre: \(met.grid.latitudes[y])°N \(met.grid.longitudes[x])°E, \(met.times.count) times")
    for i in met.times.indices {
        let slice = try met.slice(at: i, roles: [.u, .v])
        guard let u = slice.fields[.u], let v = slice.fields[.v] else { continue }
        let z = u.nz - 1
        print("\(slice.time.iso8601)  u \(u[z, y, x]) m/s  v \(v[z, y, x]) m/s")
    }
} catch {
    FileHandle.standardError.write(Data("InspectMet: \(error)\n".utf8))
    exit(1)
}
