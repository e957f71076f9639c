import Synchronization
import UpwindCore

/// The trajectories of a run as they finish (``TrajectoryRunner/stream(buffer:progress:)``).
///
/// Iterate it once (a second iterator gets what is left of the same run). The run starts with
/// the first `next()`; it runs in its own task and waits
/// whenever `buffer` trajectories are waiting for the consumer, so a slow consumer (an HTTP
/// client) bounds the memory. Cancelling the consuming task, or ending the iteration early
/// (`break`, dropping the iterator), cancels the run: it stops within one met window and no
/// task is left running. Errors of the run (starts outside the met, read errors) are thrown by
/// `next()`.
///
/// ```swift
/// for try await trajectory in runner.stream() { try await body.write(trajectory) }
/// ```
public struct TrajectoryStream: AsyncSequence, Sendable {
    /// Stream elements: finished trajectories.
    public typealias Element = Trajectory
    let runner: TrajectoryRunner
    let capacity: Int
    let progress: (@Sendable (SweepProgress) -> Void)?
    let channel: Channel

    init(runner: TrajectoryRunner, capacity: Int, progress: (@Sendable (SweepProgress) -> Void)?) {
        self.runner = runner
        self.capacity = capacity
        self.progress = progress
        channel = Channel(capacity: capacity)
    }

    /// The run's summary once the stream has ended without error (nil before).
    public var summary: TrajectoryRunSummary? { channel.state.withLock { $0.summary } }

    /// True once the run's task has returned (finished, failed or cancelled).
    public var isRunFinished: Bool { channel.state.withLock { $0.producerDone } }

    /// Starts the run (once) and returns the iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(handle: Handle(channel: channel, runner: runner, progress: progress))
    }

    /// Takes trajectories from the run; dropping it cancels the run.
    public struct Iterator: AsyncIteratorProtocol {
        let handle: Handle

        /// The next trajectory, or nil when the run has ended.
        /// - Throws: the run's error, or `CancellationError` when the consuming task was cancelled.
        public mutating func next() async throws -> Trajectory? {
            try await handle.next()
        }
    }

    /// Owns the run's task: starts it on first use, cancels it when the consumer is cancelled or
    /// the iterator is dropped.
    final class Handle: Sendable {
        let channel: Channel
        let task: Mutex<Task<Void, Never>?> = Mutex(nil)
        let runner: TrajectoryRunner
        let progress: (@Sendable (SweepProgress) -> Void)?

        init(channel: Channel, runner: TrajectoryRunner, progress: (@Sendable (SweepProgress) -> Void)?) {
            self.channel = channel
            self.runner = runner
            self.progress = progress
        }

        func startIfNeeded() {
            task.withLock { task in
                guard task == nil else { return }
                // One run per stream: a second iterator reads what is left of the first run.
                guard channel.state.withLock({ s in
                    defer { s.started = true }
                    return !s.started
                }) else { return }
                let channel = self.channel, runner = self.runner, progress = self.progress
                task = Task {
                    do {
                        let summary = try await runner.sweep(progress: progress) { t in try await channel.send(t) }
                        channel.finish(summary: summary, error: nil)
                    } catch {
                        channel.finish(summary: nil, error: error)
                    }
                }
            }
        }

        func next() async throws -> Trajectory? {
            startIfNeeded()
            return try await withTaskCancellationHandler {
                try await channel.receive()
            } onCancel: {
                channel.cancel()
                task.withLock { $0?.cancel() }
            }
        }

        deinit {
            channel.cancel()
            task.withLock { $0?.cancel() }
        }
    }

    /// A bounded hand-over between the run's task (``send(_:)``) and the consumer
    /// (``receive()``), guarded by one lock.
    final class Channel: Sendable {
        struct State {
            var buffer: [Trajectory] = []
            var head = 0
            var consumer: CheckedContinuation<Trajectory?, any Error>?
            var producer: CheckedContinuation<Void, any Error>?
            var ended = false
            var error: (any Error)?
            var cancelled = false
            var summary: TrajectoryRunSummary?
            var producerDone = false
            var started = false
            var count: Int { buffer.count - head }
            mutating func pop() -> Trajectory {
                let t = buffer[head]
                head += 1
                if head > 1024 && head * 2 > buffer.count { buffer.removeFirst(head); head = 0 }
                return t
            }
        }
        let state = Mutex(State())
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity }

        /// Hands a trajectory to the consumer, waiting while the buffer is full.
        func send(_ t: Trajectory) async throws {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resume: () -> Void = state.withLock { s in
                    if s.cancelled { return { c.resume(throwing: CancellationError()) } }
                    if let consumer = s.consumer {
                        s.consumer = nil
                        return { consumer.resume(returning: t); c.resume() }
                    }
                    s.buffer.append(t)
                    if s.count < capacity { return { c.resume() } }
                    s.producer = c
                    return {}
                }
                resume()
            }
        }

        /// The next trajectory, nil at the end, or the run's error.
        func receive() async throws -> Trajectory? {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Trajectory?, any Error>) in
                let resume: () -> Void = state.withLock { s in
                    if s.count > 0 {
                        let t = s.pop()
                        let producer = s.producer
                        s.producer = nil
                        return { producer?.resume(); c.resume(returning: t) }
                    }
                    if s.cancelled { return { c.resume(throwing: CancellationError()) } }
                    if s.ended {
                        let error = s.error
                        s.error = nil
                        return { if let error { c.resume(throwing: error) } else { c.resume(returning: nil) } }
                    }
                    s.consumer = c
                    return {}
                }
                resume()
            }
        }

        /// The run ended (with its summary, or an error).
        func finish(summary: TrajectoryRunSummary?, error: (any Error)?) {
            let consumer: CheckedContinuation<Trajectory?, any Error>? = state.withLock { s in
                s.ended = true
                s.producerDone = true
                s.summary = summary
                s.error = error
                guard s.count == 0, let c = s.consumer else { return nil }
                s.consumer = nil
                s.error = nil
                return c
            }
            if let consumer {
                if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
            }
        }

        /// The consumer is gone: wake both sides.
        func cancel() {
            let (consumer, producer) = state.withLock { s -> (CheckedContinuation<Trajectory?, any Error>?, CheckedContinuation<Void, any Error>?) in
                // A run that already ended keeps its end (and its summary) for later readers.
                if s.producerDone && s.count == 0 && s.consumer == nil { return (nil, nil) }
                s.cancelled = true
                s.buffer = []
                s.head = 0
                defer { s.consumer = nil; s.producer = nil }
                return (s.consumer, s.producer)
            }
            consumer?.resume(throwing: CancellationError())
            producer?.resume(throwing: CancellationError())
        }
    }
}
