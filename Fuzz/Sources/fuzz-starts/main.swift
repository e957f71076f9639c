import CFuzzerDriver
import Foundation
import FuzzEntries

// libFuzzer harness for the starts reader (see FuzzEntries and scripts/fuzz.sh).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
    FuzzEntries.harness("starts", bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
})
