// libFuzzer's driver (in libclang_rt.fuzzer, linked by -sanitize=fuzzer): SwiftPM gives each
// executable its own `main`, so the harnesses call the driver themselves.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

// The sanitizer runtime's hook run before it exits on an error (libFuzzer sets it to save the
// crashing input); the netcdf4 harness clears it in the child that probes a file.
void __sanitizer_set_death_callback(void (*callback)(void));
