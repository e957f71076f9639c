import Foundation
import FuzzEntries

/// libFuzzer entry for the runplan reader (see FuzzEntries and scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzEntries.harness("runplan", Data(bytes: bytes, count: count))
    return 0
}
