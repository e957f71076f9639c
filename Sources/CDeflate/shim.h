// Guarded include of libdeflate (fast whole-buffer zlib/deflate decompression, used to
// inflate netCDF-4 chunks outside the libnetcdf lock). The first compiler error says how to
// install it.
#ifndef UPWIND_CDEFLATE_SHIM_H
#define UPWIND_CDEFLATE_SHIM_H

#if __has_include(<libdeflate.h>)
#include <libdeflate.h>
#else
#error "libdeflate is not installed (libdeflate.h not found). Install it, then rebuild: Debian/Ubuntu: sudo apt-get install libdeflate-dev | Fedora: sudo dnf install libdeflate-devel | macOS: brew install libdeflate | or simply run: make bootstrap"
#endif

#endif
