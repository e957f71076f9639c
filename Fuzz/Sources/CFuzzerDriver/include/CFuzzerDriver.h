// libFuzzer's driver (in libclang_rt.fuzzer, linked by -sanitize=fuzzer): SwiftPM gives each
// executable its own `main`, so the harnesses call the driver themselves.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
