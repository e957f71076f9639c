import UpwindCore

/// Why a list of observations cannot form an ``ObservationSet``.
///
/// Positions are 0-based indices into the list given to ``ObservationSet/init(_:)``; the
/// ``description`` shows them 1-based ("observation 3"). Readers of files map them to lines.
public enum ObservationSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two observations have the same site and time.
    case duplicate(site: String, time: UTCTime, first: Int, second: Int)
    /// A site's coordinates (degrees) differ between two of its observations.
    case conflictingCoordinates(site: String, first: Int, second: Int,
                                firstLatitude: Double, firstLongitude: Double,
                                secondLatitude: Double, secondLongitude: Double)
    /// An observation's site name is empty.
    case emptySite(index: Int)
    /// An observation's latitude is outside −90…90 or its longitude is not finite (degrees).
    case badCoordinates(index: Int, latitude: Double, longitude: Double)
    /// An observation's value is NaN or infinite (a missing value is nil, not NaN).
    case nonFiniteValue(index: Int, value: Double)

    /// One line naming the observations involved and saying what to do.
    public var description: String {
        switch self {
        case let .duplicate(site, time, first, second):
            return "observations \(first + 1) and \(second + 1) are both for site '\(site)' at \(time.iso8601); keep one reading per site and hour"
        case let .conflictingCoordinates(site, first, second, lat1, lon1, lat2, lon2):
            return "site '\(site)' is at \(lat1),\(lon1) in observation \(first + 1) but at \(lat2),\(lon2) in observation \(second + 1); give a site one position, or name the two positions as different sites"
        case let .emptySite(index):
            return "observation \(index + 1) has an empty site name; name every site"
        case let .badCoordinates(index, latitude, longitude):
            return "observation \(index + 1) is at latitude \(latitude), longitude \(longitude); latitude must be -90…90 degrees north and longitude a finite number of degrees east"
        case let .nonFiniteValue(index, value):
            return "observation \(index + 1) has the value \(value); write a missing reading as a missing value (nil), not NaN or infinity"
        }
    }
}
