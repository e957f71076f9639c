import Foundation
import UpwindAttribution

// UpwindAttribution is pure Swift; its errors meet Foundation here so that
// `error.localizedDescription` reads their own one-line messages.

extension ReceptorGridError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension ObservationSetError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension HotspotRulesError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension FireMatchError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension RegionError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}
