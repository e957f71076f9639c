/// The time integration scheme.
public enum Integrator: String, Sendable, Codable, CaseIterable {
    /// HYSPLIT's Petterssen/Heun predictor–corrector (see the *Trajectory integration* article in Upwind's documentation), second order.
    case heun
    /// Classic fourth-order Runge–Kutta.
    case rk4
}

/// What happens when a parcel reaches the ground.
public enum GroundRule: String, Sendable, Codable, CaseIterable {
    /// HYSPLIT's rule: clip to 0 m AGL and continue (see the *Trajectory integration* article in Upwind's documentation).
    case clip
    /// Terminate with ``TerminationReason/hitGround``.
    case stop
    /// Reflect the height about the ground.
    case reflect
}

/// How trajectories are integrated. Defaults follow HYSPLIT (see the *Trajectory integration* article in Upwind's documentation).
public struct TrajectoryOptions: Sendable, Equatable, Codable {
    /// Run length in hours: negative for backward trajectories.
    public var hours: Int
    /// Vertical motion.
    public var verticalMode: VerticalMode
    /// Integration scheme.
    public var integrator: Integrator
    /// Fixed time step in minutes (must divide ``outputIntervalMinutes``), or nil for the
    /// TRATIO rule.
    public var fixedStepMinutes: Int?
    /// TRATIO: the largest fraction of a grid cell a parcel may cross in one step.
    public var tratio: Double
    /// Model top, m AGL: parcels above it terminate with `hitTop`.
    public var topAGL: Double
    /// What happens at the ground.
    public var ground: GroundRule
    /// Minutes between endpoints (60 by default); endpoints land on whole multiples from the start.
    public var outputIntervalMinutes: Int
    /// Run valid starts and report invalid ones instead of failing the run.
    public var skipInvalidStarts: Bool

    /// Creates options; the defaults are HYSPLIT's.
    public init(hours: Int, verticalMode: VerticalMode = .data, integrator: Integrator = .heun, fixedStepMinutes: Int? = nil,
                tratio: Double = 0.75, topAGL: Double = 10_000, ground: GroundRule = .clip, outputIntervalMinutes: Int = 60,
                skipInvalidStarts: Bool = false) {
        self.hours = hours
        self.verticalMode = verticalMode
        self.integrator = integrator
        self.fixedStepMinutes = fixedStepMinutes
        self.tratio = tratio
        self.topAGL = topAGL
        self.ground = ground
        self.outputIntervalMinutes = outputIntervalMinutes
        self.skipInvalidStarts = skipInvalidStarts
    }
}

extension TrajectoryOptions {
    /// The number of output intervals a trajectory runs: |``hours``|·60 / ``outputIntervalMinutes``
    /// (0 for options that ``validate()`` refuses; never traps).
    public var outputIntervalCount: Int {
        guard outputIntervalMinutes >= 1, hours.magnitude <= UInt(RunLimits.maxRunHours) else { return 0 }
        return Int(hours.magnitude) * 60 / outputIntervalMinutes
    }

    /// Checks the options on their own (no met needed), with arithmetic that cannot overflow,
    /// before any work starts: ``hours`` non-zero and at most ``RunLimits/maxRunHours`` (87,660 h)
    /// either way, ``outputIntervalMinutes`` at least 1 and dividing the run, at most
    /// ``RunLimits/maxOutputIntervals`` endpoints after the start, ``fixedStepMinutes`` at least 1
    /// and dividing the output interval, ``tratio`` in (0, 1], ``topAGL`` positive.
    /// - Throws: ``TrajectoryError/invalidOption(option:value:requirement:)`` naming the option,
    ///   its value, the limit and what to do.
    public func validate() throws(TrajectoryError) {
        guard hours != 0 else { throw .invalidOption(option: "hours", value: "0", requirement: "must not be 0 (negative for backward trajectories)") }
        guard hours.magnitude <= UInt(RunLimits.maxRunHours) else {
            throw .invalidOption(option: "hours", value: "\(hours)",
                                 requirement: "must be at most \(RunLimits.maxRunHours) hours (10 years) in either direction; split a longer run into consecutive runs")
        }
        guard outputIntervalMinutes >= 1 else {
            throw .invalidOption(option: "outputIntervalMinutes", value: "\(outputIntervalMinutes)", requirement: "must be at least 1 minute")
        }
        if let step = fixedStepMinutes {
            guard step >= 1, outputIntervalMinutes % step == 0 else {
                throw .invalidOption(option: "fixedStepMinutes", value: "\(step)", requirement: "must be at least 1 minute and divide the output interval (\(outputIntervalMinutes) min)")
            }
        }
        guard tratio > 0, tratio <= 1 else { throw .invalidOption(option: "tratio", value: "\(tratio)", requirement: "must be in (0, 1]") }
        guard topAGL > 0 else { throw .invalidOption(option: "topAGL", value: "\(topAGL)", requirement: "must be positive (metres above ground)") }
        let minutes = Int(hours.magnitude) * 60
        guard minutes % outputIntervalMinutes == 0 else {
            throw .invalidOption(option: "hours", value: "\(hours)", requirement: "must be a whole number of output intervals (\(outputIntervalMinutes) min)")
        }
        guard minutes / outputIntervalMinutes <= RunLimits.maxOutputIntervals else {
            throw .invalidOption(option: "outputIntervalMinutes", value: "\(outputIntervalMinutes)",
                                 requirement: "gives \(minutes / outputIntervalMinutes) endpoints per trajectory over \(hours) h, more than the limit of \(RunLimits.maxOutputIntervals); use a longer output interval or a shorter run")
        }
    }
}

/// Run-level failures (an individual trajectory that stops early is not an error: see
/// ``Termination``). Messages speak in library terms (``TrajectoryOptions`` property names);
/// the `upwind` CLI adds its flag names where it reports them.
public enum TrajectoryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Options or a plan that cannot work together (the message says which and why).
    case invalidOptions(String)
    /// One option out of range: `option` is the ``TrajectoryOptions`` property (e.g. `hours`,
    /// `tratio`, `topAGL`, `fixedStepMinutes`), `value` what it was, `requirement` what it must be.
    case invalidOption(option: String, value: String, requirement: String)
    /// Starts outside the met coverage (time or space) or where the met is missing; each
    /// start is described with its longitude as the caller gave it in −180…180, and the
    /// coverage in the same convention.
    case startsOutsideCoverage(starts: [String], coverage: String)
    /// The met lacks a field the chosen vertical mode needs.
    case missingField(field: String, mode: String, hint: String)
    /// A slice index outside the field.
    case sliceOutOfRange(index: Int, count: Int)

    /// The message: what is wrong and what to do.
    public var description: String {
        switch self {
        case .invalidOptions(let s):
            return "invalid trajectory options: \(s)"
        case .invalidOption(let option, let value, let requirement):
            return "invalid trajectory option \(option) = \(value): \(requirement)"
        case .startsOutsideCoverage(let starts, let coverage):
            return "\(starts.count) start\(starts.count == 1 ? "" : "s") outside the met coverage (\(coverage)): \(starts.joined(separator: "; ")); move them inside, add met files, or set skipInvalidStarts to run the others and report these"
        case .missingField(let field, let mode, let hint):
            return "the met has no \(field), which \(mode) needs: \(hint)"
        case .sliceOutOfRange(let index, let count):
            return "met slice \(index) requested but the field has \(count) (slices are numbered from 0)"
        }
    }
}
