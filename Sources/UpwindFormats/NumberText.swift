import UpwindCore

/// Fixed-decimal number text for CSV and JSON: no exponent, no `-0.0`, nil for absent values.
enum NumberText {
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private static let integerPowers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with exactly `decimals` digits after the point (0…6), rounded half away
    /// from zero; nil when the value is nil, NaN or infinite: `JSONText/fixed(_:decimals:)`,
    /// the one fixed-decimal format of CSV, tdump and JSON.
    static func fixed(_ value: Double?, decimals: Int) -> String? {
        JSONText.fixed(value, decimals: decimals)
    }

    /// 10^d for d in 0…6.
    @inline(__always)
    static func integerPower(_ d: Int) -> UInt64 { integerPowers[min(max(d, 0), integerPowers.count - 1)] }

    /// Longitude in degrees east mapped into [−180, 180).
    static func normalizedLongitude(_ longitude: Double) -> Double {
        guard longitude.isFinite else { return longitude }
        if longitude >= -180, longitude < 180 { return longitude }
        var x = (longitude + 180).truncatingRemainder(dividingBy: 360)
        if x < 0 { x += 360 }
        x -= 180
        if x >= 180 { x -= 360 }
        if x < -180 { x = -180 }
        return x
    }

    /// Longitude text with `decimals` digits, in [−180, 180) *after* rounding
    /// (179.99999 with 4 decimals is written `-180.0000`).
    static func longitude(_ longitude: Double, decimals: Int) -> String? {
        guard longitude.isFinite else { return nil }
        let d = min(max(decimals, 0), powersOfTen.count - 1)
        let normalized = normalizedLongitude(longitude)
        let rounded = (normalized * powersOfTen[d]).rounded(.toNearestOrAwayFromZero) / powersOfTen[d]
        return fixed(normalizedLongitude(rounded), decimals: d)
    }
}

/// The same texts as `NumberText` and `UTCTime/iso8601`, written as UTF-8 bytes into a
/// growable buffer: the CSV writer's per-endpoint fields without a `String` per field or a
/// uniqueness check per byte. One writer is reused for every trajectory of a file.
final class ByteWriter {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written since the last ``reset()``.
    private(set) var count = 0

    /// Creates an empty writer with room for `capacity` bytes (it grows as needed).
    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Forgets what was written (keeps the memory).
    func reset() { count = 0 }

    /// The bytes written since the last ``reset()``.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// The bytes written, as text (for tests and small outputs).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.initialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity = grown
    }

    /// Appends one byte.
    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// Appends `bytes`.
    func append(_ bytes: some Collection<UInt8>) {
        reserve(bytes.count)
        for b in bytes {
            storage[count] = b
            count += 1
        }
    }

    /// Appends the decimal digits of `n`, left-padded with zeros to `width` (at most 20).
    @inline(__always)
    func appendDigits(_ n: UInt64, width: Int = 1) {
        var length = 1
        var probe = n
        while probe >= 10 { probe /= 10; length += 1 }
        let total = max(length, min(width, 20))
        reserve(total)
        var v = n
        var k = count + total - 1
        for _ in 0..<total {
            storage[k] = UInt8(truncatingIfNeeded: v % 10) + 48
            v /= 10
            k -= 1
        }
        count += total
    }

    /// Appends `NumberText/fixed(_:decimals:)` of `value` (nothing when that is nil).
    func appendFixed(_ value: Double?, decimals: Int) {
        guard let value, value.isFinite else { return }
        let d = min(max(decimals, 0), 6)
        let power = NumberText.integerPower(d)
        let scaled = (abs(value) * Double(power)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else {
            if let text = NumberText.fixed(value, decimals: d) { append(text.utf8) }
            return
        }
        let n = UInt64(scaled)
        if value < 0 && n != 0 { append(45) }
        appendDigits(n / power)
        if d > 0 {
            append(46)
            appendDigits(n % power, width: d)
        }
    }

    /// Appends `NumberText/longitude(_:decimals:)` of `longitude` (nothing when not finite).
    func appendLongitude(_ longitude: Double, decimals: Int) {
        guard longitude.isFinite else { return }
        let d = min(max(decimals, 0), 6)
        let power = Double(NumberText.integerPower(d))
        let normalized = NumberText.normalizedLongitude(longitude)
        let rounded = (normalized * power).rounded(.toNearestOrAwayFromZero) / power
        appendFixed(NumberText.normalizedLongitude(rounded), decimals: d)
    }

    /// Appends `UTCTime/iso8601` of `time`.
    func appendISO8601(_ time: UTCTime) {
        let c = time.components
        guard (0...9999).contains(c.year) else {
            append(time.iso8601.utf8)
            return
        }
        appendDigits(UInt64(c.year), width: 4)
        append(45)
        appendDigits(UInt64(c.month), width: 2)
        append(45)
        appendDigits(UInt64(c.day), width: 2)
        append(84)
        appendDigits(UInt64(c.hour), width: 2)
        append(58)
        appendDigits(UInt64(c.minute), width: 2)
        append(58)
        appendDigits(UInt64(c.second), width: 2)
        append(90)
    }
}
