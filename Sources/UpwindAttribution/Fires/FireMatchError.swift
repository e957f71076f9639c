import UpwindCore

/// Why fire matching (``FireMatcher``) could not be set up. Messages speak in library terms
/// (property names); the `upwind` CLI adds its flag names where it reports them.
public enum FireMatchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A setting out of range: `setting` is the ``FireMatchSettings`` property, `value` what it
    /// was, `requirement` what it must be.
    case invalidSetting(setting: String, value: String, requirement: String)
    /// A fire point that cannot be matched: `index` is its 0-based position in the list given to
    /// ``FireMatcher/init(fires:settings:)``, `id` its ``FirePoint/id``, `reason` what is wrong.
    case invalidFire(index: Int, id: String, reason: String)

    /// The message: what is wrong and what to do.
    public var description: String {
        switch self {
        case .invalidSetting(let setting, let value, let requirement):
            return "invalid fire-matching setting \(setting) = \(value): \(requirement)"
        case .invalidFire(let index, let id, let reason):
            return "fire \(id) (number \(index + 1) in the list): \(reason); correct or remove it"
        }
    }
}
