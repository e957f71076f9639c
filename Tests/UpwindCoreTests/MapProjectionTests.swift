import Testing
import UpwindCore

@Suite("MapProjection")
struct MapProjectionTests {
    @Test("each case names its projection and hands out its grid")
    func namesAndGrids() {
        let latLon = LatLonGrid(longitudes: [0, 1, 2], latitudes: [10, 11], isGlobal: false)
        let r = MapProjection.earthRadius
        let cases: [(MapProjection, String, Int, Int)] = [
            (.latLon(latLon), "latlon", 3, 2),
            (.polarStereographic(PolarStereographicGrid(nx: 4, ny: 5, spacingM: 1000, x0: 0, y0: 0, earthRadius: r)), "polar_stereographic", 4, 5),
            (.lambertConformal(LambertConformalGrid(nx: 6, ny: 7, spacingM: 1000, x0: 0, y0: -6e6, tangentLatitude: 30, centralMeridian: 110,
                                                    earthRadius: r)), "lambert_conformal", 6, 7),
            (.mercator(MercatorGrid(nx: 8, ny: 9, spacingM: 1000, x0: 0, y0: 0, earthRadius: r)), "mercator", 8, 9),
        ]
        for (projection, name, nx, ny) in cases {
            #expect(projection.name == name)
            #expect(projection.grid.nx == nx && projection.grid.ny == ny)
            #expect(projection == projection)
        }
        #expect(r == 6_371_200)
    }
}
