/// The analytic fields the CDL fixtures hold (Fixtures/cdl/README.md §1):
/// λ longitude and φ latitude in degrees, p pressure in hPa, h hours since the file's reference.
enum Formula {
    static func u(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 10 + 0.1 * l + 0.01 * f - 0.001 * p + 0.5 * h }
    static func v(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { -5 + 0.02 * l - 0.05 * f + 0.002 * p - 0.25 * h }
    static func omega(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { -0.5 + 0.002 * l + 0.001 * f + 0.0005 * p + 0.05 * h }
    static func hgt(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 14100 - 14 * p + 0.2 * f + 0.05 * l + 1.0 * h }
    static func z(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 9.80665 * hgt(l, f, p, h) }
    static func t(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 230 + 0.06 * p + 0.01 * l - 0.1 * f + 0.1 * h }
    static func wa(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 0.01 + 0.001 * l + 0.0005 * f - 0.00001 * p + 0.002 * h }
    static func hus(_ l: Double, _ f: Double, _ p: Double, _ h: Double) -> Double { 0.002 + 0.00001 * p - 0.00002 * f + 0.00001 * l }
    static func ps(_ l: Double, _ f: Double, _ h: Double) -> Double { 101000 + 10 * l - 20 * f + 50 * h }
    static func orog(_ l: Double, _ f: Double) -> Double { 100 + 2 * l + f }
    static func blh(_ l: Double, _ f: Double, _ h: Double) -> Double { 500 + 10 * l + 5 * f + 20 * h }
}
