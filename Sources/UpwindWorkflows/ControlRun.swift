import Foundation
import UpwindCore
import UpwindFormats
import UpwindMeteo

/// A HYSPLIT trajectory CONTROL run as `hyts_std` runs it (see the *Trajectory integration* article in Upwind's documentation): the CONTROL,
/// SETUP.CFG from the working directory when present (tratio, delt, kmsl, tout and the `tm_*`
/// diagnostic switches), met and output paths resolved against the working directory, and
/// '00 00 00 00' resolved to the met's first time (its last for backward runs). The CLI's
/// `--control` and the service run CONTROL files through this type.
///
/// ```swift
/// let job = try ControlRun.load(controlPath: "CONTROL", workingDirectory: "hysplit/working")
/// let result = try await job.runner(met: try MetSource.open(job.metPaths)).run()
/// try result.write(to: job.outputPath, format: .tdump, tdumpOptions: job.tdumpOptions)
/// ```
public struct ControlRun: Sendable {
    /// The parsed CONTROL.
    public let control: HysplitControl
    /// SETUP.CFG from the working directory, or HYSPLIT's defaults.
    public let setup: HysplitSetup
    /// Met file paths (relative directories resolved against the working directory).
    public let metPaths: [String]
    /// The output path: the one given to ``load(controlPath:workingDirectory:outputPath:)`` or
    /// the CONTROL's output directory and file.
    public let outputPath: String
    /// Settings Upwind reads but cannot honour, in words (the CLI prints them as notes).
    public let notes: [String]

    /// The diagnostics Upwind's engine computes, as tdump labels.
    public static let computedLabels: Set<String> = ["PRESSURE", "THETA", "AIR_TEMP", "MIXDEPTH", "RELHUMID", "TERR_MSL"]

    /// tdump record 5: SETUP.CFG's labels that Upwind computes (`PRESSURE` first).
    public var diagnosticLabels: [String] { setup.diagnosticLabels.filter(Self.computedLabels.contains) }

    /// The tdump options this run writes with (its diagnostic labels).
    public var tdumpOptions: TdumpWriteOptions { TdumpWriteOptions(diagnosticLabels: diagnosticLabels) }

    /// Reads `controlPath` and `SETUP.CFG` (in `workingDirectory`) and checks the met files exist.
    /// - Parameters:
    ///   - controlPath: the CONTROL file (relative to the process's current directory).
    ///   - workingDirectory: where SETUP.CFG is looked for and relative met/output paths start
    ///     (default: the current directory, as HYSPLIT runs).
    ///   - outputPath: overrides the CONTROL's output directory and file.
    /// - Throws: `HysplitControlError`.
    public static func load(controlPath: String, workingDirectory: String = FileManager.default.currentDirectoryPath,
                            outputPath: String? = nil) throws -> ControlRun {
        let control = try HysplitControl.read(path: controlPath)
        let setupPath = URL(fileURLWithPath: workingDirectory).appendingPathComponent("SETUP.CFG").path
        let setup = FileManager.default.fileExists(atPath: setupPath) ? try HysplitSetup.read(path: setupPath) : HysplitSetup()
        try control.checkMetFiles(workingDirectory: workingDirectory)
        var notes: [String] = []
        let missing = setup.diagnosticLabels.filter { !computedLabels.contains($0) }
        if !missing.isEmpty {
            notes.append("\(setupPath) asks for \(missing.joined(separator: ", ")), which Upwind does not compute; those tdump columns are left out")
        }
        if let minimum = setup.minimumStepMinutes {
            notes.append("\(setupPath): delt = -\(minimum) (a minimum time step) is not supported; the TRATIO rule (steps of 1–60 min) is used")
        }
        return ControlRun(control: control, setup: setup, metPaths: control.metPaths(workingDirectory: workingDirectory),
                          outputPath: outputPath ?? control.outputPath(workingDirectory: workingDirectory), notes: notes)
    }

    /// The starts and options once the met's period is known.
    /// - Throws: `TrajectoryError/invalidOptions(_:)` when the met has no times.
    public func plan(field: any WindField, integrator: Integrator = .heun, ground: GroundRule = .clip,
                     skipInvalidStarts: Bool = false) throws -> (starts: [TrajectoryStart], options: TrajectoryOptions) {
        guard let first = field.times.first, let last = field.times.last else {
            throw TrajectoryError.invalidOptions("the met has no times")
        }
        let time = control.resolvedStartTime(firstMetTime: first, lastMetTime: last)
        let options = TrajectoryOptions(hours: control.hours, verticalMode: control.verticalMode, integrator: integrator,
                                        fixedStepMinutes: setup.fixedStepMinutes, tratio: setup.tratio, topAGL: control.topAGL,
                                        ground: ground, outputIntervalMinutes: setup.tout, skipInvalidStarts: skipInvalidStarts)
        return (control.trajectoryStarts(time: time, heightIsMSL: setup.heightsAreMSL), options)
    }

    /// A runner for this CONTROL on `met` (opened from ``metPaths``).
    /// - Throws: `TrajectoryError`.
    public func runner(met: MetSource, integrator: Integrator = .heun, ground: GroundRule = .clip, skipInvalidStarts: Bool = false,
                       maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> TrajectoryRunner {
        let (starts, options) = try plan(field: met.field, integrator: integrator, ground: ground, skipInvalidStarts: skipInvalidStarts)
        return try TrajectoryRunner(met: met, starts: starts, options: options, maxConcurrency: maxConcurrency)
    }

    /// Opens the met, runs, and writes the tdump to ``outputPath``.
    /// - Throws: `MetError`, `ARLError`, `TrajectoryError`, `TdumpError`, `TrajectoryOutputError`.
    @discardableResult
    public func run(integrator: Integrator = .heun, ground: GroundRule = .clip, skipInvalidStarts: Bool = false) async throws -> TrajectoryResult {
        let result = try await runner(met: try MetSource.open(metPaths), integrator: integrator, ground: ground,
                                      skipInvalidStarts: skipInvalidStarts).run()
        try result.write(to: outputPath, format: .tdump, tdumpOptions: tdumpOptions)
        return result
    }
}
