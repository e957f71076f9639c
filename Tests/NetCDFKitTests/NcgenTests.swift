import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

@Suite("Files written by ncgen (independent writer)")
struct NcgenTests {
    static let classicCDL = """
        netcdf fixture {
        dimensions:
            time = UNLIMITED ;
            lat = 3 ;
            lon = 4 ;
            name_len = 8 ;
        variables:
            double lat(lat) ;
                lat:units = "degrees_north" ;
            float lon(lon) ;
            short t2m(time, lat, lon) ;
                t2m:scale_factor = 0.01 ;
                t2m:add_offset = 273.15 ;
                t2m:_FillValue = -32767s ;
                t2m:long_name = "2 m temperature" ;
            int counts(lat) ;
            char station(lat, name_len) ;
            byte flags(lon) ;
            double rec(time) ;
        // global attributes:
            :title = "ncgen fixture" ;
            :version = 3 ;
            :levels = 1.5, 2.5 ;
        data:
            lat = -10, 0, 10.5 ;
            lon = 0, 90, 180, 270 ;
            t2m = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                  -100, -200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200 ;
            counts = 7, -8, 9 ;
            station = "alpha", "beta", "gamma" ;
            flags = -1, 0, 1, 127 ;
            rec = 0.5, 1.5 ;
        }
        """

    @Test("classic CDL (CDF-1, CDF-2, CDF-5) is read correctly", arguments: ["nc3", "nc6", "nc5"])
    func classic(kind: String) throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("fixture-\(kind).nc")
            try NCGen.build(cdl: Self.classicCDL, output: url.path, kind: kind)
            let file = try NetCDFFile.open(url.path)
            defer { try? file.close() }
            let expectedFormat: NetCDFFormat = kind == "nc3" ? .classic : kind == "nc6" ? .offset64 : .cdf5
            #expect(file.format == expectedFormat)
            let root = file.root
            #expect(try root.dimensions().map(\.name) == ["time", "lat", "lon", "name_len"])
            let time = try root.requiredDimension(named: "time")
            #expect(time.isUnlimited && time.length == 2)
            #expect(try root.variables().map(\.name) == ["lat", "lon", "t2m", "counts", "station", "flags", "rec"])

            #expect(try root.requiredVariable(named: "lat").read(Double.self) == [-10, 0, 10.5])
            #expect(try root.requiredVariable(named: "lon").read(Float.self) == [0, 90, 180, 270])
            let t2m = try root.requiredVariable(named: "t2m")
            #expect(t2m.type == .short)
            #expect(t2m.shape == [2, 3, 4])
            #expect(try t2m.read(Int16.self, start: [1, 0, 0], count: [1, 1, 4]) == [-100, -200, 300, 400])
            #expect(try t2m.read(Double.self, start: [0, 2, 3], count: [2, 1, 1]) == [11, 1200])
            #expect(try t2m.attribute(named: "scale_factor")?.value == .double([0.01]))
            #expect(try t2m.attribute(named: "add_offset")?.value.doubles == [273.15])
            #expect(try t2m.attribute(named: "_FillValue")?.value == .int16([-32767]))
            #expect(try t2m.attribute(named: "long_name")?.value.string == "2 m temperature")
            #expect(try root.requiredVariable(named: "counts").read(Int32.self) == [7, -8, 9])
            #expect(try root.requiredVariable(named: "station").readStrings() == ["alpha", "beta", "gamma"])
            #expect(try root.requiredVariable(named: "flags").read(Int8.self) == [-1, 0, 1, 127])
            #expect(try root.requiredVariable(named: "rec").read(Double.self) == [0.5, 1.5])
            #expect(try root.attribute(named: "title")?.value == .text("ncgen fixture"))
            #expect(try root.attribute(named: "version")?.value == .int32([3]))
            #expect(try root.attribute(named: "levels")?.value == .double([1.5, 2.5]))

            // The header-implied minimum size of a complete file is consistent with its real size.
            let probe = try #require(try FileProbe.validate(url.path))
            #expect(probe.minimumSize > 0)
            #expect(probe.minimumSize <= probe.fileSize)
        }
    }

    static let netcdf4CDL = """
        netcdf fixture4 {
        dimensions:
            x = 3 ;
        variables:
            string names(x) ;
                string names:aliases = "one", "two" ;
            ubyte u(x) ;
                u:valid_range = 0UB, 250UB ;
            uint64 big(x) ;
            int64 i64 ;
            short packed(x) ;
                packed:scale_factor = 0.5f ;
                packed:add_offset = 10.f ;
        // global attributes:
            string :sources = "gfs", "era5", "ifs" ;
            :title = "nc4 fixture" ;
            :ushorts = 1US, 65535US ;
        data:
            names = "a", "bb", "ccc" ;
            u = 0, 128, 255 ;
            big = 0, 1, 4294967296 ;
            i64 = -5000000000 ;
            packed = -2, 0, 2 ;

        group: sub {
          dimensions:
            y = 2 ;
          variables:
            float f(x, y) ;
          data:
            f = 1, 2, 3, 4, 5, 6 ;
          }
        }
        """

    @Test("netCDF-4 CDL (strings, unsigned, 64-bit, packed, groups) is read correctly")
    func netcdf4() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("fixture4.nc")
            try NCGen.build(cdl: Self.netcdf4CDL, output: url.path, kind: "nc4")
            let file = try NetCDFFile.open(url.path)
            defer { try? file.close() }
            #expect(file.format == .netcdf4)
            let root = file.root
            let names = try root.requiredVariable(named: "names")
            #expect(names.type == .string)
            #expect(try names.readStrings() == ["a", "bb", "ccc"])
            #expect(try names.attribute(named: "aliases")?.value == .strings(["one", "two"]))
            let u = try root.requiredVariable(named: "u")
            #expect(try u.read(UInt8.self) == [0, 128, 255])
            #expect(try u.read(Int32.self) == [0, 128, 255])
            #expect(try u.attribute(named: "valid_range")?.value == .uint8([0, 250]))
            #expect(try root.requiredVariable(named: "big").read(UInt64.self) == [0, 1, 4_294_967_296])
            #expect(try root.requiredVariable(named: "i64").read(Int64.self) == [-5_000_000_000])
            let packed = try root.requiredVariable(named: "packed")
            #expect(try packed.read(Int16.self) == [-2, 0, 2])
            #expect(try packed.attribute(named: "scale_factor")?.value == .float([0.5]))
            #expect(try packed.attribute(named: "add_offset")?.value == .float([10]))
            #expect(try root.attribute(named: "sources")?.value == .strings(["gfs", "era5", "ifs"]))
            #expect(try root.attribute(named: "sources")?.value.string == "gfs\nera5\nifs")
            #expect(try root.attribute(named: "title")?.value == .text("nc4 fixture"))
            #expect(try root.attribute(named: "ushorts")?.value == .uint16([1, 65535]))
            let sub = try #require(try root.group(named: "sub"))
            let f = try sub.requiredVariable(named: "f")
            #expect(f.shape == [3, 2])
            #expect(try f.read(Float.self, start: [0, 1], count: [3, 1]) == [2, 4, 6])
        }
    }
}
