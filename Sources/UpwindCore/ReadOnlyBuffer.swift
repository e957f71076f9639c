/// Elements written once, then only read, in memory this object owns: the one owner type of
/// unmanaged memory in the core (DESIGN decision 11).
///
/// **The lifetime rule** (every unmanaged view in the core follows it, and it is written only here):
/// 1. A buffer allocates its elements and initialises all of them in `init`, never writes them
///    again, and frees them in `deinit`.
/// 2. A pointer taken from a buffer (``base``, and the views built on it: ``RawSlice`` and
///    ``RegularKernel``'s levels) owns nothing and counts no references: it is valid only while
///    something holds a reference to the buffer, and the code that makes a view names that holder.
///    The holders are:
///    - a ``GridSlice`` holds the buffer of its fields (its storage);
///    - a sweep's slice window (`TrajectoryEngine.SliceWindow`) holds the slices whose views it
///      lends, and a view from it is used only while the window's generation is current;
///    - a trajectory's `BracketCache` holds the slices it fetched itself, and the previous
///      met interval's, while it uses their views;
///    - a ``TrajectoryEngine`` holds the buffer of its kernel's levels beside the kernel.
/// 3. Nothing else allocates unmanaged memory that outlives a call.
///
/// Sharing between threads is safe because the elements never change after `init` and are freed
/// only when the last reference goes (hence `@unchecked Sendable`: the address is a `let`, the
/// memory behind it immutable).
final class ReadOnlyBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The first element (valid while this buffer is alive; never written through).
    let base: UnsafePointer<Element>
    /// Number of elements.
    let count: Int

    /// Allocates `count` elements and has `initialize` write every one of them (the only writes
    /// the memory ever sees).
    init(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        precondition(count >= 0, "ReadOnlyBuffer: negative count \(count)")
        let memory = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        initialize(UnsafeMutableBufferPointer(start: memory, count: count))
        base = UnsafePointer(memory)
        self.count = count
    }

    /// A buffer holding a copy of `values`.
    convenience init(_ values: [Element]) {
        self.init(count: values.count) { out in _ = out.initialize(fromContentsOf: values) }
    }

    /// The elements as a buffer pointer (a view; same rule as ``base``).
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    deinit {
        // Bitwise-copyable elements need no deinitialisation.
        UnsafeMutablePointer(mutating: base).deallocate()
    }
}
