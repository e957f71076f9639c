import ArgumentParser
import Foundation
import Upwind

/// `--quiet` and `--json`, shared by every command that prints a summary.
///
/// Standard output carries the summary (or, with `--json`, one JSON object and nothing else);
/// standard error carries the progress bar (only on a terminal), notes and errors. `--quiet`
/// drops the progress bar, the summary and the notes; errors are always printed.
struct TerminalOptions: ParsableArguments {
    @Flag(name: .customLong("quiet"), help: "No progress bar, summary or notes (errors are still printed).")
    var quiet = false

    @Flag(name: .customLong("json"), help: "Print the summary as one JSON object on standard output (keys: see 'JSON summary' above).")
    var json = false

    /// A progress bar on standard error: drawn only when it is a terminal and without `--quiet`.
    func progressBar() -> ProgressBar {
        ProgressBar(enabled: !quiet && isatty(2) != 0)
    }

    /// Prints a summary line for people on standard output (not with `--quiet` or `--json`).
    func say(_ line: String) {
        if !quiet && !json { print(line) }
    }

    /// Prints `upwind: note: TEXT` on standard error (not with `--quiet`).
    func note(_ text: String) {
        if !quiet { FileHandle.standardError.write(Data(("upwind: note: " + text + "\n").utf8)) }
    }

    /// Prints the JSON summary on standard output when `--json` was given.
    func emit(_ summary: @autoclosure () -> JSONValue) {
        if json { print(summary().serialized(pretty: true)) }
    }
}

/// Values for JSON summaries.
enum JSONSummary {
    /// A count.
    static func count(_ n: Int) -> JSONValue { .number(Double(n)) }
    /// Output paths: `names` inside `folder`, standardised.
    static func paths(_ names: [String], in folder: String) -> JSONValue {
        .array(names.map { .string(URL(fileURLWithPath: folder).appendingPathComponent($0).standardized.path) })
    }
    /// A path, standardised.
    static func path(_ path: String) -> JSONValue { .string(URL(fileURLWithPath: path).standardized.path) }
    /// A trajectory run: `trajectories`, `terminated` (reason → count), `skipped_starts`.
    static func run(_ s: TrajectoryRunSummary) -> [(String, JSONValue)] {
        [("trajectories", count(s.count)),
         ("terminated", .object(s.byReason.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, count($0.value)) })),
         ("skipped_starts", count(s.skipped.count))]
    }
    /// Seconds, to 0.01 s.
    static func seconds(_ s: Double) -> JSONValue { .number((s * 100).rounded() / 100) }
    /// The first `limit` ranked regions: rank, id, name, polluted_share, fire_score, rank_low, rank_high.
    static func regions(_ rows: [RegionStatistics], limit: Int = 10) -> JSONValue {
        .array(rows.prefix(limit).map { r in
            .object([("rank", count(r.rank)), ("id", .string(r.id)), ("name", .string(r.name)), ("polluted_share", .number(r.pollutedShare)),
                     ("residence_h", .number(r.residenceHours)), ("fire_score", .number(r.fireScore)),
                     ("rank_low", r.rankLow.map(count) ?? .null), ("rank_high", r.rankHigh.map(count) ?? .null)])
        })
    }
    /// Place attribution: `top_regions` and `outside_home_share` (null when not computed).
    static func places(_ p: PlaceAttribution.Result?) -> [(String, JSONValue)] {
        [("top_regions", p?.regions.map { regions($0.rows) } ?? .null),
         ("outside_home_share", p?.regions?.home.map { .number($0.outsideHomeShare) } ?? .null),
         ("fires_matched", p?.fires.map { count($0.matchedFireCount) } ?? .null)]
    }
}

/// The text every summarising command's help ends with.
func jsonSummaryHelp(_ keys: String) -> String {
    "\n\nJSON summary (--json): one object on standard output with the keys " + keys + "; counts are numbers, undefined values null. With --quiet nothing but errors is printed (and the JSON object with --json). The progress bar is drawn on standard error only when it is a terminal."
}

/// A one-line progress bar on standard error, only on a terminal: `[#####.....] 42 % 120/300
/// trajectories, model time 2024-01-15T06:00:00Z, 12 s left`. Redrawn when the whole percentage
/// changes; erased by ``finish()``.
final class ProgressBar: @unchecked Sendable {  // mutable state only under `lock`
    let enabled: Bool
    let lock = NSLock()
    /// When the bar was first drawn (the time left is estimated from there).
    var started: ContinuousClock.Instant?
    var lastDrawn = -1
    var lastPhase = ""
    init(enabled: Bool) { self.enabled = enabled }

    /// Draws a trajectory sweep's progress.
    func update(_ p: SweepProgress) {
        guard p.total > 0 else { return }
        let time = p.modelTime.map { ", model time \($0.iso8601)" } ?? ""
        draw(fraction: p.fraction, label: "\(p.done)/\(p.total) trajectories\(time)")
    }

    /// Draws the twin experiment's progress.
    func update(_ p: TwinExperiment.Progress) {
        draw(fraction: p.fraction, label: p.step, phase: p.step)
    }

    /// Draws `fraction` (0…1) with `label`; only when the whole percentage or the `phase` changed.
    func draw(fraction: Double, label: String, phase: String = "") {
        guard enabled, fraction.isFinite else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        guard percent != lastDrawn || phase != lastPhase else { return }
        lastDrawn = percent
        lastPhase = phase
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let now = ContinuousClock.now
        if started == nil { started = now }
        let elapsed = now - (started ?? now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var left = ""
        if fraction >= 0.05, fraction < 1, seconds >= 2 {
            left = ", \(Int((seconds * (1 - fraction) / fraction).rounded())) s left"
        }
        // \r back to the line's start, ESC[K erases what a longer line left.
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent) % \(label)\(left)\u{1B}[K".utf8))
    }

    /// Runs `body` and erases the bar when it returns or throws, so what follows (the summary
    /// or an error) starts on a clean line.
    func around<T>(_ body: () async throws -> T) async throws -> T {
        defer { finish() }
        return try await body()
    }

    /// Erases the bar (the summary that follows starts on a clean line).
    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        guard lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        lastDrawn = -1
    }
}
