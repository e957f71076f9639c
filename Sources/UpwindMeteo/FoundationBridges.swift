import Foundation
import UpwindCore

// Foundation at the edge (DESIGN decision 9): UpwindCore is pure Swift, so its errors and
// `UTCTime` meet Foundation here, in the lowest module that imports it. Every program that
// imports `Upwind` links this module, so `error.localizedDescription` reads the error's own
// message for every public error type.

extension MetError: LocalizedError {
    /// The one-line message (``description``).
    public var errorDescription: String? { description }
}

extension ARLError: LocalizedError {
    /// The one-line message (``description``).
    public var errorDescription: String? { description }
}

extension MetWriteError: LocalizedError {
    /// The one-line message (``description``).
    public var errorDescription: String? { description }
}

extension SyntheticMetError: LocalizedError {
    /// The one-line message (``description``).
    public var errorDescription: String? { description }
}

extension TrajectoryError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension UTCTimeParseError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension UTCTime {
    /// The instant of `date`, rounded down to whole seconds (UTC).
    public init(_ date: Date) {
        self.init(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// This instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }
}

extension Date {
    /// The instant of a `UTCTime`.
    public init(_ time: UTCTime) {
        self.init(timeIntervalSince1970: TimeInterval(time.secondsSince1970))
    }
}
